"""schema.org descriptions (JSON-LD) of organisations, events and agreements for search engines.

Each ``*_jsonld`` function returns a plain dict; :func:`render_jsonld` turns one into a
``<script type="application/ld+json">`` element that cannot break out of the script (``<``, ``>``
and ``&`` become ``\\u003C``…, as Django's ``json_script`` does). Templates use the tag
``{% jsonld obj %}`` from ``portal/templatetags/jsonld.py``.

Only what the public pages show goes in: no people's contact data, no unpublished agreement
(not even as the earlier agreement of a published one). Strings are in the active language.
schema.org has no type for a contract, so an agreement is a ``CreativeWork`` whose ``genre`` is
its kind and whose ``creativeWorkStatus`` is its derived status.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.links import Links
from organizations.models import Organization, Region
from partnerships.models import Agreement, AgreementParty, Event, SigningEvent

CONTEXT = "https://schema.org"
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_AUTHOR_ROLES = {AgreementParty.Role.PARTNER, AgreementParty.Role.COORDINATOR}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys without a value (None, "", [], {}), so that the output says only what is known."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _absolute(request: HttpRequest, obj: Any) -> str:
    return Links(request).page(obj)


def _postal_address(region: Region | None, **fields: str) -> dict[str, Any] | None:
    if region is None and not any(fields.values()):
        return None
    chain = region.chain if region else []  # one query, shared with the page's breadcrumb
    country = next((r for r in chain if r.kind == Region.Kind.COUNTRY), None)
    subdivision = next((r for r in chain if r.kind == Region.Kind.SUBDIVISION), None)
    locality = fields.get("addressLocality") or (
        region.name if region and region.kind in (Region.Kind.CITY, Region.Kind.DISTRICT) else ""
    )
    return _compact(
        {
            "@type": "PostalAddress",
            "streetAddress": fields.get("streetAddress"),
            "postalCode": fields.get("postalCode"),
            "addressLocality": locality,
            "addressRegion": subdivision.name if subdivision else None,
            "addressCountry": (country.iso_code or country.name) if country else None,
        }
    )


def _place(name: str, region: Region | None, *, address: bool = True) -> dict[str, Any] | None:
    """A schema.org Place; ``address=False`` skips the postal address (one query per place)."""
    if not name and region is None:
        return None
    place = {
        "@type": "Place",
        "name": name or (region.name if region else None),
        "address": _postal_address(region) if address else None,
    }
    if region is not None and region.latitude is not None and region.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(region.latitude),
            "longitude": float(region.longitude),
        }
    return _compact(place)


def _organization_ref(organization: Organization, request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "@id": _absolute(request, organization),
        "name": organization.name,
    }


def _organization_location(organization: Organization) -> dict[str, Any] | None:
    """Its map position as a schema.org Place with ``geo`` (schema.org's Organization has no
    ``geo`` of its own). Left out when the position is only its region's centre: an
    approximate point would be read as the organisation's address."""
    precise = (Organization.LocationSource.ENTERED, Organization.LocationSource.LOCALITY)
    if organization.latitude is None or organization.longitude is None:
        return None
    if organization.location_source not in precise:
        return None
    return {
        "@type": "Place",
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": float(organization.latitude),
            "longitude": float(organization.longitude),
        },
    }


def organization_jsonld(organization: Organization, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``Organization``; ``@id`` is the portal page, ``url`` the organisation's site."""
    page = _absolute(request, organization)
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Organization",
            "@id": page,
            "url": organization.website or page,
            "mainEntityOfPage": page,
            "name": organization.name,
            "alternateName": organization.short_name,
            "legalName": organization.legal_name,
            "description": organization.description,
            "email": organization.email,
            "telephone": organization.phone.as_e164 if organization.phone else None,
            "address": _postal_address(
                organization.region,
                streetAddress=organization.street_address,
                postalCode=organization.postal_code,
                addressLocality=organization.locality,
            ),
            "location": _organization_location(organization),
            "knowsAbout": [area.name for area in organization.focus_areas.all()],
            "parentOrganization": (
                _organization_ref(organization.parent, request) if organization.parent else None
            ),
        }
    )


def event_jsonld(event: Event, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``Event`` for an occasion such as a partnering conference."""
    page = _absolute(request, event)
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "@id": page,
            "url": page,
            "name": event.name,
            "description": event.description,
            "startDate": event.starts_on,
            "endDate": event.ends_on,
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": _place(event.venue, event.region),
            "organizer": _organization_ref(event.organizer, request) if event.organizer else None,
            "sameAs": event.website,
        }
    )


def signing_event_jsonld(
    signing: SigningEvent, *, request: HttpRequest, address: bool = True
) -> dict[str, Any]:
    """schema.org ``Event`` for the signing itself, ``about`` the agreement it concluded."""
    agreement_page = _absolute(request, signing.agreement)
    occasion = signing.occasion
    region = signing.place or (occasion.region if occasion else None)
    venue = signing.venue or (occasion.venue if occasion else "")
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "@id": f"{agreement_page}#signing-{signing.pk}",
            "name": _("Signing: %(title)s") % {"title": signing.agreement.title},
            "description": signing.description,
            "startDate": signing.signed_on,
            "endDate": signing.signed_on,
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": _place(venue, region, address=address),
            "superEvent": (
                {"@type": "Event", "@id": _absolute(request, occasion), "name": occasion.name}
                if occasion
                else None
            ),
            "about": {"@id": agreement_page},
        }
    )


def _interval(start: datetime.date | None, end: datetime.date | None) -> str | None:
    """ISO 8601 interval, open-ended as ``2015-11-02/..``."""
    if start is None:
        return None
    return f"{start.isoformat()}/{end.isoformat() if end else '..'}"


def _agreement_ref(agreement: Agreement, request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "@id": _absolute(request, agreement),
        "name": agreement.title,
    }


def agreement_jsonld(agreement: Agreement, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``CreativeWork`` for a published agreement, with its parties and signings."""
    page = _absolute(request, agreement)
    # .all(): the detail page's for_detail() prefetches these, so no extra query there.
    parties = list(agreement.parties.all())
    previous = agreement.previous if agreement.previous_id else None
    signings = agreement.signing_events.all()
    valid_until = agreement.ends_on  # 'valid until', or counted from the term length
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "CreativeWork",
            "@id": page,
            "url": page,
            "name": agreement.title,
            "alternateName": agreement.code,
            "description": agreement.summary,
            "genre": agreement.get_kind_display(),
            "creativeWorkStatus": agreement.get_status_display(),
            "dateCreated": agreement.signed_on,
            "temporalCoverage": _interval(agreement.starts_on, valid_until),
            "expires": valid_until,
            "inLanguage": list(agreement.authentic_languages),
            "keywords": [area.name for area in agreement.focus_areas.all()],
            "author": [
                _organization_ref(p.organization, request)
                for p in parties
                if p.role in _AUTHOR_ROLES
            ],
            "contributor": [
                _organization_ref(p.organization, request)
                for p in parties
                if p.role not in _AUTHOR_ROLES
            ],
            "isBasedOn": (
                _agreement_ref(previous, request)
                if previous is not None and previous.is_public
                else None
            ),
            "subjectOf": [
                # Without postal addresses: a fixed number of queries however many signings.
                _without_context(signing_event_jsonld(signing, request=request, address=False))
                for signing in signings
            ],
        }
    )


def _without_context(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "@context"}


# Each builder takes an instance of the model it is paired with.
_BUILDERS: tuple[tuple[type[Model], Callable[..., dict[str, Any]]], ...] = (
    (Agreement, agreement_jsonld),
    (Organization, organization_jsonld),
    (SigningEvent, signing_event_jsonld),
    (Event, event_jsonld),
)


def jsonld_for(obj: Any, *, request: HttpRequest) -> dict[str, Any] | None:
    """The schema.org description of ``obj``; None for an unpublished agreement or a signing of
    one (``Agreement.is_public``, the rule of ``Agreement.objects.published()``). The pages pass
    only objects they fetched through their model's public rule (an event page 404s for an
    event that is not public), so nothing else needs checking here."""
    agreement = obj.agreement if isinstance(obj, SigningEvent) else obj
    if isinstance(agreement, Agreement) and not agreement.is_public:
        return None
    for model, builder in _BUILDERS:
        if isinstance(obj, model):
            return builder(obj, request=request)
    raise TypeError(f"No schema.org description for {type(obj).__name__}")


def dumps(data: dict[str, Any]) -> str:
    """JSON that is safe inside a ``<script>`` element of an HTML page."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def render_jsonld(data: dict[str, Any]) -> SafeString:
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(dumps(data)))  # noqa: S308 - json.dumps output with <, > and & escaped as \\u003c etc.
