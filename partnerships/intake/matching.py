"""Each name of an extracted draft against the portal's records, through the portal's own search.

Organisations through ``organizations.search`` (``resolve_organization``: slug, any language's
name, short or legal name; then the search's ranking), retried without the legal form ("GmbH",
"e.V.") and with a name in parentheses ("Osaka Bio Headquarters (Senri Life Sciences
Foundation)"); people through the people search (``matching_people``: Latin and native script);
places through the region resolution (names and aliases in every language: "München" is Munich);
events by name in any language, preferring the one held on the signing date; focus areas by
their names in every language. Then the agreements: one between the same parties signed on the
same day is *already recorded* (the review links it instead of offering a duplicate); an earlier
one between them is what the release renews.

A match is ``{"id", "slug", "label"}``; when several records fit, ``candidates`` lists them (up
to five) and ``match`` stays None: the manager chooses.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from modeltranslation import settings as mt_settings

from organizations.models import FocusArea, Organization, Person, Region
from organizations.search import matching_people, parse_query, resolve_organization, resolve_region
from partnerships.intake.extract import LEGAL_FORMS_RE, same_name
from partnerships.models import Agreement, Event

CANDIDATES = 5


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "slug": getattr(obj, "slug", ""), "label": str(obj)}


def _variants(name: str) -> list[str]:
    """The name without what is in parentheses, without its legal form, as written, and the name
    in parentheses ("Osaka Bio Headquarters (Senri Life Sciences Foundation)": the first)."""
    inner = re.search(r"[(（]([^)）]+)[)）]", name)
    outer = re.sub(r"\s*[(（][^)）]*[)）]", "", name).strip()
    variants: list[str] = []
    for candidate in (
        outer,
        LEGAL_FORMS_RE.sub("", outer).strip(" ,"),
        name,
        inner and inner.group(1),
    ):
        if candidate and candidate not in variants:
            variants.append(candidate)
    return variants


def match_organization(name: str) -> tuple[Organization | None, list[Organization]]:
    suggestions: list[Organization] = []
    for variant in _variants(name):
        found, candidates = resolve_organization(variant)
        if found is not None:
            return found, []
        suggestions += [c for c in candidates if c not in suggestions]
    close = [c for c in suggestions if same_name(name, c.name) or same_name(name, c.short_name)]
    if len(close) == 1:
        return close[0], []
    return None, suggestions[:CANDIDATES]


def match_person(name: str) -> tuple[Person | None, list[Person]]:
    query = parse_query(name)
    if query.is_empty:
        return None, []
    people = list(Person.objects.filter(matching_people(query)).order_by("pk")[: CANDIDATES + 1])
    if len(people) == 1:
        return people[0], []
    return None, people[:CANDIDATES]


# "82152 Martinsried/Munich": a postcode, then the place and the larger place it lies by.
POSTCODE_RE = re.compile(r"^\s*(?:[A-Z]{1,2}-)?\d{3,6}(?:-\d{4})?\s+")
PLACE_PARTS_RE = re.compile(r"\s*[/,]\s*")


def _depth(region: Region) -> int:
    depth, node = 0, region.parent
    while node is not None and depth < 20:
        node = node.parent
        depth += 1
    return depth


def match_region(place: str) -> tuple[Region | None, list[Region]]:
    """The region of a place as written: the whole text first ("München" is Munich); else each
    part of "82152 Martinsried/Munich" (postcode dropped), the deepest region found, the first
    written on a tie (the place itself before the city it lies by)."""
    found, candidates = resolve_region(place)
    if found is not None:
        return found, list(candidates)[:CANDIDATES]
    parts = [part for part in PLACE_PARTS_RE.split(POSTCODE_RE.sub("", place)) if part]
    regions = [region for part in parts if (region := resolve_region(part)[0]) is not None]
    if len(parts) > 1 and regions:
        return max(regions, key=_depth), []  # max() keeps the first of equal depth
    return None, list(candidates)[:CANDIDATES]


def match_event(name: str, signed_on: Any = None) -> tuple[Event | None, list[Event]]:
    condition = Q()
    for language in mt_settings.AVAILABLE_LANGUAGES:
        condition |= Q(**{f"name_{language}__icontains": name})
    events = list(Event.objects.filter(condition).order_by("-starts_on", "pk")[:20])
    if signed_on is not None:
        during = [e for e in events if e.starts_on <= signed_on <= e.ends_on]
        if len(during) == 1:
            return during[0], []
    if len(events) == 1:
        return events[0], []
    return None, events[:CANDIDATES]


def _stem_pattern(name: str) -> re.Pattern[str]:
    """ "Regenerative Medizin" also as "Regenerativer Medizin": a word may change its ending."""
    words = [re.escape(word[:-1] if len(word) > 5 else word) for word in name.split()]
    return re.compile(r"\w{0,3}\s+".join(words), re.IGNORECASE)


def focus_areas_in(text: str) -> list[tuple[FocusArea, int]]:
    """Focus areas named in the text (any language), with where they are first named."""
    found = []
    for area in FocusArea.objects.order_by("pk"):
        positions = []
        for language in mt_settings.AVAILABLE_LANGUAGES:
            name = getattr(area, f"name_{language}", "") or ""
            if len(name) >= 2:
                match = _stem_pattern(name).search(text)
                if match:
                    positions.append(match.start())
        if positions:
            found.append((area, min(positions)))
    return sorted(found, key=lambda item: item[1])


def _apply(item: dict[str, Any] | None, found: Any, candidates: list[Any]) -> None:
    if item is None:
        return
    item["match"] = _ref(found) if found is not None else None
    item["candidates"] = [_ref(c) for c in candidates]


def agreements_between(organization_ids: list[int]) -> list[Agreement]:
    """Agreements to which every one of these organisations is a party, newest first."""
    agreements = Agreement.objects.all()
    for organization_id in organization_ids:
        agreements = agreements.filter(parties__organization_id=organization_id)
    return list(agreements.distinct().order_by("-signed_on", "-pk")[:10])


def match_draft(draft: dict[str, Any], text: str) -> dict[str, Any]:
    """``draft`` (from ``extract``) with ``match``/``candidates`` filled in, the focus areas
    named in ``text``, and ``existing``: the agreement already recorded, if any."""
    for party in draft["parties"]:
        _apply(party, *match_organization(party["value"]))
    for key in ("signatories", "witnesses", "quotes", "contacts"):
        for item in draft[key]:
            name = item.get("name") or item.get("speaker") or ""
            if name:
                _apply(item, *match_person(name))
            organisation = item.get("organisation") or item.get("party") or ""
            if organisation:
                found, _candidates = match_organization(organisation)
                item["organisation_match"] = _ref(found) if found else None
            elif item.get("match"):
                # The person's current organisation, when the release names none (a witness).
                person = Person.objects.get(pk=item["match"]["id"])
                affiliation = person.affiliations.filter(is_current=True).order_by("pk").first()
                if affiliation is not None:
                    item["organisation"] = str(affiliation.organization)
                    item["organisation_match"] = _ref(affiliation.organization)
    if draft["place"]:
        _apply(draft["place"], *match_region(draft["place"]["value"]))
    signed_on = draft["signed_on"]["value"] if draft["signed_on"] else None
    if draft["occasion"]:
        _apply(draft["occasion"], *match_event(draft["occasion"]["value"], signed_on))
    draft["focus_areas"] = [
        {
            "value": str(area),
            "source": "",
            "start": position,
            "end": None,
            "confidence": 0.7,
            "match": _ref(area),
        }
        for area, position in focus_areas_in(text)
    ]
    party_ids = [p["match"]["id"] for p in draft["parties"] if p.get("match")]
    draft["existing"] = None
    if len(party_ids) >= 2:
        between = agreements_between(party_ids)
        same_day = [a for a in between if signed_on and a.signed_on == signed_on]
        if same_day:
            draft["existing"] = _ref(same_day[0])
        earlier = [
            a
            for a in between
            if a not in same_day and (not signed_on or not a.signed_on or a.signed_on < signed_on)
        ]
        if draft["renews"] is not None:
            _apply(draft["renews"], earlier[0] if len(earlier) == 1 else None, earlier)
    return draft
