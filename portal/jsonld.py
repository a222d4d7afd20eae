"""schema.org descriptions (JSON-LD) of organisations, events and agreements for search engines.

Each ``*_jsonld`` function returns a plain dict; :func:`render_jsonld` turns one into a
``<script type="application/ld+json">`` element that cannot break out of the script (``<``, ``>``
and ``&`` become ``\\u003C``…, as Django's ``json_script`` does). Templates use the tag
``{% jsonld obj %}`` from ``portal/templatetags/jsonld.py``.

Each block is derived from its resource's presenter dict (``organizations/presenters.py``,
``partnerships/presenters.py``) by a ``*_from_presented`` function, so that what is public and
how a value is written is decided once; what the dict does not hold (a region's chain for the
postal address, a phone number in E.164) is passed alongside. Only what the public pages show
goes in: no people's contact data, no unpublished agreement (not even as the earlier agreement
of a published one). Strings are in the active language.
schema.org has no type for a contract, so an agreement is a ``CreativeWork`` whose ``genre`` is
its kind and whose ``creativeWorkStatus`` is its derived status.
"""

from __future__ import annotations

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
from core.presenters import Presentation
from organizations import presenters as organizations_presenters
from organizations.models import Organization, Region
from partnerships import presenters as partnerships_presenters
from partnerships.models import Agreement, AgreementParty, Event, SigningEvent

CONTEXT = "https://schema.org"
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_AUTHOR_ROLES = {AgreementParty.Role.PARTNER, AgreementParty.Role.COORDINATOR}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys without a value (None, "", [], {}), so that the output says only what is known."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


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


def _geo(latitude: Any, longitude: Any) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": float(latitude), "longitude": float(longitude)}


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
        place["geo"] = _geo(region.latitude, region.longitude)
    return _compact(place)


def _organization_ref(organization: Organization, how: Presentation) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "@id": how.links.page(organization),
        "name": organizations_presenters.organization_ref(organization, how)["name"],  # type: ignore[index]  # an organisation's reference is never None
    }


def _event_ref(event: Event, how: Presentation) -> dict[str, Any]:
    return {
        "@type": "Event",
        "@id": how.links.page(event),
        "name": partnerships_presenters.event_ref(event, how)["name"],  # type: ignore[index]  # an event's reference is never None
    }


def _presentation(request: HttpRequest) -> Presentation:
    """How the presenters write the rows for JSON-LD: the active language, absolute URLs."""
    return Presentation(links=Links(request))


def _organization_location(data: dict[str, Any]) -> dict[str, Any] | None:
    """Its map position as a schema.org Place with ``geo`` (schema.org's Organization has no
    ``geo`` of its own). Left out when the position is only its region's centre: an
    approximate point would be read as the organisation's address."""
    precise = (Organization.LocationSource.ENTERED, Organization.LocationSource.LOCALITY)
    if data["latitude"] is None or data["longitude"] is None:
        return None
    if data["location_source"] not in precise:
        return None
    return {"@type": "Place", "geo": _geo(data["latitude"], data["longitude"])}


def organization_from_presented(
    data: dict[str, Any],
    *,
    region: Region | None,
    telephone: str | None,
    parent: dict[str, Any] | None,
) -> dict[str, Any]:
    """schema.org ``Organization`` from the organisation's presenter dict
    (``organizations.presenters.organization``). Passed alongside, as the dict does not hold
    them: the region row (its chain makes the postal address), the phone number in E.164 (the
    dict writes it in the international format) and the parent's reference (the dict has its
    id)."""
    page = data["url"]
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Organization",
            "@id": page,
            "url": data["website"] or page,
            "mainEntityOfPage": page,
            "name": data["name"],
            "alternateName": data["short_name"],
            "legalName": data["legal_name"],
            "description": data["description"],
            "email": data["email"],
            "telephone": telephone if data["phone"] is not None else None,
            "address": _postal_address(
                region,
                streetAddress=data["street_address"],
                postalCode=data["postal_code"],
                addressLocality=data["locality"],
            ),
            "location": _organization_location(data),
            "knowsAbout": [area["name"] for area in data["focus_areas"]],
            "parentOrganization": parent if data["parent"] is not None else None,
        }
    )


def organization_jsonld(organization: Organization, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``Organization``; ``@id`` is the portal page, ``url`` the organisation's site."""
    how = _presentation(request)
    data = organization_from_presented(
        organizations_presenters.organization(organization, how, profile_rows=False),
        region=organization.region,
        telephone=organization.phone.as_e164 if organization.phone else None,
        parent=_organization_ref(organization.parent, how) if organization.parent else None,
    )
    if organization.logo:  # the larger of the served sizes (organizations/logos.py)
        data["logo"] = request.build_absolute_uri(organization.logo_url_large())
    return data


def event_from_presented(
    data: dict[str, Any], *, region: Region | None, organizer: dict[str, Any] | None
) -> dict[str, Any]:
    """schema.org ``Event`` from the event's presenter dict (``partnerships.presenters.event``,
    without its agreements). Passed alongside: the region row (its chain and position make the
    place; the dict's reference has neither) and the organiser's reference (with its page)."""
    page = data["url"]
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "@id": page,
            "url": page,
            "name": data["name"],
            "description": data["description"],
            "startDate": data["starts_on"],
            "endDate": data["ends_on"],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": _place(data["venue"], region),
            "organizer": organizer if data["organizer"] is not None else None,
            "sameAs": data["website"],
        }
    )


def event_jsonld(event: Event, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``Event`` for an occasion such as a partnering conference."""
    how = _presentation(request)
    return event_from_presented(
        partnerships_presenters.event(event, how, agreements=False),
        region=event.region,
        organizer=_organization_ref(event.organizer, how) if event.organizer else None,
    )


def signing_from_presented(
    data: dict[str, Any],
    *,
    agreement: dict[str, Any],
    region: Region | None,
    occasion_venue: str,
    occasion: dict[str, Any] | None,
    address: bool = True,
) -> dict[str, Any]:
    """schema.org ``Event`` for the signing itself, ``about`` the agreement it concluded, from
    the signing's presenter dict (``partnerships.presenters.signing_event`` with
    ``people=False``) and its agreement's (``partnerships.presenters.agreement``: its page and
    title). Passed alongside: the region row of its place, or else of its occasion (its chain
    and position make the place; the dict's reference has neither), the occasion's venue for a
    signing that names none, and the occasion's schema.org reference (with its page).
    ``address=False`` skips the postal address (one query per place)."""
    agreement_page = agreement["url"]
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "@id": f"{agreement_page}#signing-{data['id']}",
            "name": _("Signing: %(title)s") % {"title": agreement["title"]},
            "description": data["description"],
            "startDate": data["signed_on"],
            "endDate": data["signed_on"],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": _place(data["venue"] or occasion_venue, region, address=address),
            "superEvent": occasion if data["occasion"] is not None else None,
            "about": {"@id": agreement_page},
        }
    )


def _signing(
    signing: SigningEvent, agreement: dict[str, Any], how: Presentation, *, address: bool
) -> dict[str, Any]:
    occasion = signing.occasion
    return signing_from_presented(
        partnerships_presenters.signing_event(signing, how, people=False),
        agreement=agreement,
        region=signing.place or (occasion.region if occasion else None),
        occasion_venue=how.text(occasion, "venue") if occasion else "",
        occasion=_event_ref(occasion, how) if occasion else None,
        address=address,
    )


def signing_event_jsonld(
    signing: SigningEvent, *, request: HttpRequest, address: bool = True
) -> dict[str, Any]:
    """schema.org ``Event`` for the signing itself, ``about`` the agreement it concluded."""
    how = _presentation(request)
    agreement = signing.agreement  # its page and title, as its presenter dict has them
    presented = {"url": how.links.page(agreement), "title": how.text(agreement, "title")}
    return _signing(signing, presented, how, address=address)


def _interval(start: str | None, end: str | None) -> str | None:
    """ISO 8601 interval of two ISO dates, open-ended as ``2015-11-02/..``."""
    if start is None:
        return None
    return f"{start}/{end or '..'}"


def _agreement_ref(agreement: Agreement, how: Presentation) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "@id": how.links.page(agreement),
        "name": how.text(agreement, "title"),
    }


def agreement_from_presented(
    data: dict[str, Any],
    *,
    focus_areas: list[dict[str, Any]],
    parties: list[tuple[dict[str, Any], dict[str, Any]]],
    previous: dict[str, Any] | None,
    signings: list[dict[str, Any]],
) -> dict[str, Any]:
    """schema.org ``CreativeWork`` from the agreement's presenter dict
    (``partnerships.presenters.agreement`` with ``nested=False``). Passed alongside: its focus
    areas (``focus_area_ref``) and parties (``party``) as presented from the page's own
    prefetches, each party with its organisation's schema.org reference; the earlier agreement's
    reference; and the signings' schema.org events."""
    page = data["url"]
    starts_on = data["effective_from"] or data["signed_on"]  # Agreement.starts_on
    valid_until = data["ends_on"]  # 'valid until', or counted from the term length
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "CreativeWork",
            "@id": page,
            "url": page,
            "name": data["title"],
            "alternateName": data["code"],
            "description": data["summary"],
            "genre": str(Agreement.Kind(data["kind"]).label),
            "creativeWorkStatus": str(Agreement.Status(data["status"]).label),
            "dateCreated": data["signed_on"],
            "temporalCoverage": _interval(starts_on, valid_until),
            "expires": valid_until,
            "inLanguage": data["authentic_languages"],
            "keywords": [area["name"] for area in focus_areas],
            "author": [ref for party, ref in parties if party["role"] in _AUTHOR_ROLES],
            "contributor": [ref for party, ref in parties if party["role"] not in _AUTHOR_ROLES],
            "isBasedOn": previous if data["previous"] is not None else None,
            "subjectOf": signings,
        }
    )


def agreement_jsonld(agreement: Agreement, *, request: HttpRequest) -> dict[str, Any]:
    """schema.org ``CreativeWork`` for a published agreement, with its parties and signings."""
    how = _presentation(request)
    previous = agreement.previous if agreement.previous_id else None
    # .all(): the detail page's for_detail() prefetches these, so no extra query there.
    parties = agreement.parties.all()
    data = partnerships_presenters.agreement(agreement, how, nested=False)
    return agreement_from_presented(
        data,
        focus_areas=[
            organizations_presenters.focus_area_ref(area, how)
            for area in agreement.focus_areas.all()
        ],
        parties=[
            (partnerships_presenters.party(p, how), _organization_ref(p.organization, how))
            for p in parties
        ],
        previous=_agreement_ref(previous, how) if previous is not None else None,
        signings=[
            # Without postal addresses: a fixed number of queries however many signings.
            _without_context(_signing(signing, data, how, address=False))
            for signing in agreement.signing_events.all()
        ],
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
