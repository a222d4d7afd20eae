"""The published dict of regions, organisations and people (see ``core/presenters.py``): the
API's JSON, and the shape the other outputs derive theirs from."""

from __future__ import annotations

from typing import Any

from core.presenters import Presentation, iso_date, text_or_none
from organizations.logos import LOGO_SIZES
from organizations.models import Affiliation, FocusArea, Organization, Person, Region

# --- References: what a row embeds of another -----------------------------------------------


def region_ref(region: Region | None, how: Presentation) -> dict[str, Any] | None:
    if region is None:
        return None
    return {
        "id": region.pk,
        "slug": region.slug,
        "name": how.text(region, "name"),
        "kind": region.kind,
        "iso_code": region.iso_code,
    }


def organization_ref(organization: Organization | None, how: Presentation) -> dict[str, Any] | None:
    if organization is None:
        return None
    return {
        "id": organization.pk,
        "slug": organization.slug,
        "name": how.text(organization, "name"),
    }


def focus_area_ref(focus_area: FocusArea, how: Presentation) -> dict[str, Any]:
    return {"slug": focus_area.slug, "name": how.text(focus_area, "name")}


def contact_ref(affiliation: Affiliation | None, how: Presentation) -> dict[str, Any] | None:
    """A contact point named by another row (an organisation's international-affairs contact),
    with the person's name (the person selected)."""
    if affiliation is None:
        return None
    return {
        "id": affiliation.pk,
        "person": affiliation.person_id,
        "name": affiliation.person.display_name(),
        "position": how.text(affiliation, "position"),
        "email": affiliation.email,
        "phone": text_or_none(affiliation.phone),
    }


def logo(organization: Organization, how: Presentation) -> list[dict[str, Any]]:
    """The organisation's logo in each of its bounded sizes (organizations/logos.py), smallest
    first; empty without a logo."""
    return [
        {"size": size, "url": how.links.url(path)}
        for size in LOGO_SIZES
        if (path := organization.logo_url(size))
    ]


# --- Resources ---------------------------------------------------------------------------------


def region(region: Region, how: Presentation, *, includes: bool = True) -> dict[str, Any]:
    """A region; ``includes``: the slugs of its curated members (prefetched), left out with
    ``includes=False`` for an output that publishes them otherwise (the open-data export: a
    table of its own)."""
    return {
        "id": region.pk,
        "slug": region.slug,
        "name": how.text(region, "name"),
        "kind": region.kind,
        "iso_code": region.iso_code,
        "iso_type": region.iso_type,
        "parent": region_ref(region.parent, how),
        **({"includes": [member.slug for member in region.members.all()]} if includes else {}),
        "latitude": region.latitude,
        "longitude": region.longitude,
        "url": how.links.page(region),
        "translations": how.translations(region, ("name",)),
    }


def organization(
    organization: Organization,
    how: Presentation,
    *,
    focus_areas: bool = True,
    profile_rows: bool = True,
) -> dict[str, Any]:
    """An organisation, with its region and focus areas (selected and prefetched) and its
    partner profile (issue 22). With ``focus_areas=False`` they are left out, for an output that
    reads them otherwise (the list download: an array subquery of its one query, in its own
    order). The profile's rows, its target regions and its international-affairs contact, are
    prefetched (``international_contact`` with the one rule of what is public,
    ``AffiliationQuerySet.publishable``: a contact that is not is prefetched as None); with
    ``profile_rows=False`` they are left out, for an output that publishes them otherwise (the
    open-data export: a link table and a column) or does not show them (JSON-LD)."""
    return {
        "id": organization.pk,
        "slug": organization.slug,
        "name": how.text(organization, "name"),
        "short_name": organization.short_name,
        "legal_name": organization.legal_name,
        "kind": organization.kind,
        "region": region_ref(organization.region, how),
        "street_address": organization.street_address,
        "postal_code": organization.postal_code,
        "locality": organization.locality,
        "latitude": organization.latitude,
        "longitude": organization.longitude,
        "location_source": organization.location_source,
        "website": organization.website,
        "email": organization.email,
        "phone": text_or_none(organization.phone),
        "description": how.text(organization, "description"),
        **(
            {"focus_areas": [focus_area_ref(area, how) for area in organization.focus_areas.all()]}
            if focus_areas
            else {}
        ),
        "offers": how.text(organization, "offers"),
        "seeks": how.text(organization, "seeks"),
        "member_count": organization.member_count,
        "sme_count": organization.sme_count,
        "languages": list(organization.languages),
        **(
            {
                "target_regions": [
                    region_ref(region, how) for region in organization.target_regions.all()
                ],
                "international_contact": contact_ref(organization.international_contact, how),
            }
            if profile_rows
            else {}
        ),
        "logo": logo(organization, how),
        "parent": organization.parent_id,
        "is_archived": organization.is_archived,
        "created_at": how.iso_datetime(organization.created_at),
        "updated_at": how.iso_datetime(organization.updated_at),
        "url": how.links.page(organization),
        "translations": how.translations(organization, ("name", "description", "offers", "seeks")),
    }


def contact_point(affiliation: Affiliation, how: Presentation) -> dict[str, Any]:
    """A person's contact point at an organisation (the organisation selected)."""
    return {
        "id": affiliation.pk,
        "organization": organization_ref(affiliation.organization, how),
        "position": how.text(affiliation, "position"),
        "email": affiliation.email,
        "phone": text_or_none(affiliation.phone),
        "stated_on": iso_date(affiliation.stated_on),
        "translations": how.translations(affiliation, ("position",)),
    }


def person(person: Person, how: Presentation, *, contact_points: bool = True) -> dict[str, Any]:
    """A public person with their public contact points (prefetched as
    ``public_affiliations``), left out with ``contact_points=False`` for an output that
    publishes them otherwise (the open-data export: a table of its own)."""
    return {
        "id": person.pk,
        "slug": person.slug,
        "name": person.display_name(),
        "honorific": how.text(person, "honorific"),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "native_name": person.native_name,
        "native_name_reading": person.native_name_reading,
        "native_name_order": person.native_name_order,
        **(
            {
                "contact_points": [
                    contact_point(affiliation, how)
                    for affiliation in person.public_affiliations  # type: ignore[attr-defined]  # prefetched
                ]
            }
            if contact_points
            else {}
        ),
        "created_at": how.iso_datetime(person.created_at),
        "updated_at": how.iso_datetime(person.updated_at),
        "translations": how.translations(person, ("honorific",)),
    }
