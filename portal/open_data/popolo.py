"""``open-data.json``: everything in one JSON document with Popolo / schema.org terms."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.downloads import open_data_license
from core.languages import default_language_field, language_fields
from organizations.logos import LOGO_SIZES
from portal.open_data.datapackage import csv_value
from portal.open_data.schema import LANGUAGES, Table


def json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return csv_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164
    return value


# The JSON document (Popolo / schema.org) ---------------------------------------------------

CONTEXT = {
    "@vocab": "https://schema.org/",
    "popolo": "http://www.popoloproject.com/specs/",
    "areas": "popolo:area",
    "organizations": "popolo:organization",
    "persons": "popolo:person",
    "memberships": "popolo:membership",
    "events": "https://schema.org/Event",
    "agreements": "https://schema.org/CreativeWork",
}


def _translated(record: dict[str, Any], name: str) -> dict[str, str]:
    """``{"en": …, "de": …, "ja": …}`` of a translated field, empty languages left out."""
    return {
        language: record[f"{name}_{language}"]
        for language in LANGUAGES
        if record.get(f"{name}_{language}")
    }


def _default(record: dict[str, Any], name: str) -> Any:
    """A translated field in the default language (English): Popolo's ``name``."""
    return record[default_language_field(name)]


def _first_filled(record: dict[str, Any], name: str) -> Any:
    """A translated field in the first language, in settings order, that has it (else the
    last language's empty value)."""
    columns = language_fields(name)
    return next((record[c] for c in columns if record[c]), record[columns[-1]])


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {key: json_value(value) for key, value in record.items() if value not in (None, "")}


def _area(r: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "id": r["id"],
            "@type": "Place",
            "name": _default(r, "name"),
            "names": _translated(r, "name"),
            "classification": r["kind"],
            "identifier": r["iso_code"],
            "parent_id": r["parent_id"],
            "slug": r["slug"],
            "url": r["url"],
        }
    )


def _organization(r: dict[str, Any]) -> dict[str, Any]:
    contact_details = [
        {"type": kind, "value": str(r[key])}
        for kind, key in (("email", "email"), ("voice", "phone"))
        if r[key]
    ]
    return _clean(
        {
            "id": r["id"],
            "@type": "Organization",
            "name": _default(r, "name"),
            "names": _translated(r, "name"),
            "alternateName": r["short_name"],
            "legalName": r["legal_name"],
            "classification": r["kind"],
            "area_id": r["region_id"],
            "parent_id": r["parent_id"],
            "address": _clean(
                {
                    "@type": "PostalAddress",
                    "streetAddress": r["street_address"],
                    "postalCode": r["postal_code"],
                    "addressLocality": r["locality"],
                }
            )
            if r["street_address"] or r["locality"]
            else None,
            "contact_details": contact_details,
            "links": [{"url": r["website"], "note": "website"}] if r["website"] else [],
            "description": _translated(r, "description"),
            "geo": {"latitude": r["latitude"], "longitude": r["longitude"]}
            if r["latitude"] is not None
            else None,
            # The partner profile (issue 22).
            "offers": _translated(r, "offers"),
            "seeks": _translated(r, "seeks"),
            "member_count": r["member_count"],
            "sme_count": r["sme_count"],
            "knowsLanguage": list(r["languages"]) or None,
            "international_contact_id": r["international_contact_id"],
            "logo": r[f"logo_{LOGO_SIZES[-1]}_url"],
            "is_archived": r["is_archived"],
            "dateModified": r["updated_at"],
            "slug": r["slug"],
            "url": r["url"],
        }
    )


def _person(r: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "id": r["id"],
            "@type": "Person",
            "name": f"{r['given_name']} {r['family_name']}".strip(),
            "given_name": r["given_name"],
            "family_name": r["family_name"],
            "honorific_prefix": _default(r, "honorific"),
            "other_names": [
                {"name": r["native_name"], "note": "native script"},
                {"name": r["native_name_reading"], "note": "reading (furigana)"},
            ][: 1 + bool(r["native_name_reading"])]
            if r["native_name"]
            else [],
            "slug": r["slug"],
        }
    )


def _membership(r: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "id": r["id"],
            "person_id": r["person_id"],
            "organization_id": r["organization_id"],
            "role": _default(r, "position"),
            "roles": _translated(r, "position"),
            "contact_details": [
                {"type": kind, "value": str(r[key])}
                for kind, key in (("email", "email"), ("voice", "phone"))
                if r[key]
            ],
            "stated_on": r["stated_on"],
        }
    )


def _event(r: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "id": r["id"],
            "@type": "Event",
            "name": _default(r, "name"),
            "names": _translated(r, "name"),
            "description": _translated(r, "description"),
            "startDate": r["starts_on"],
            "endDate": r["ends_on"],
            "location": _clean({"name": _default(r, "venue"), "area_id": r["region_id"]}),
            "organizer_id": r["organizer_id"],
            "sameAs": r["website"],
            "slug": r["slug"],
            "url": r["url"],
        }
    )


def _rows_of(record: dict[str, Any], translated: tuple[str, ...], skip: tuple[str, ...]) -> dict:
    """A child row for the JSON document: translated fields as ``{language: text}``."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in skip:
            continue
        base = key.rsplit("_", 1)[0]
        if base in translated:
            if base not in out:
                out[base] = _translated(record, base)
            continue
        out[key] = value
    return _clean(out)


class _Children:
    """A table's rows grouped by a parent id, read in step with the parents (both sorted by
    it): the JSON document nests children without holding a table in memory."""

    def __init__(self, records: Iterator[dict[str, Any]], key: str) -> None:
        self.records = records
        self.key = key
        self.pending: dict[str, Any] | None = next(records, None)

    def of(self, parent_id: int) -> list[dict[str, Any]]:
        found = []
        while self.pending is not None and self.pending[self.key] <= parent_id:
            if self.pending[self.key] == parent_id:
                found.append(self.pending)
            self.pending = next(self.records, None)
        return found


def _sorted_by(table: Table, key: str) -> Iterator[dict[str, Any]]:
    """The table's records ordered by ``key`` (then id): the same table, another order."""
    return dataclasses.replace(table, primary_key=[key, "id"]).records()


def write_json(table_list: list[Table], path: Path, generated: datetime.datetime) -> None:
    by_name = {table.name: table for table in table_list}

    def records(name: str) -> Iterator[dict[str, Any]]:
        return by_name[name].records()

    with path.open("w", encoding="utf-8") as out:
        head = {
            "@context": CONTEXT,
            "@type": "Dataset",
            "name": "Cluster Partnership Portal: open data",
            "license": open_data_license()["path"],
            "licenses": [open_data_license()],
            "dateCreated": csv_value(generated),
        }
        out.write(json.dumps(head, ensure_ascii=False)[:-1])

        def _json_number(value: object) -> float:
            """Decimals (coordinates) as JSON numbers."""
            if isinstance(value, Decimal):
                return float(value)
            raise TypeError(f"{type(value).__name__} is not JSON serialisable")

        def array(key: str, items: Iterator[dict[str, Any]]) -> None:
            out.write(f', "{key}": [')
            separator = "\n"
            for item in items:
                out.write(separator + json.dumps(item, ensure_ascii=False, default=_json_number))
                separator = ",\n"
            out.write("]")

        array("areas", (_area(r) for r in records("regions")))
        focus_names = {r["id"]: r for r in records("focus_areas")}  # a curated vocabulary
        array(
            "focus_areas",
            (
                _clean({"id": i, "slug": r["slug"], "name": _translated(r, "name")})
                for i, r in focus_names.items()
            ),
        )
        organization_focus = _Children(
            _sorted_by(by_name["organization_focus_areas"], "organization_id"), "organization_id"
        )
        organization_targets = _Children(
            _sorted_by(by_name["organization_target_regions"], "organization_id"),
            "organization_id",
        )

        def organizations() -> Iterator[dict[str, Any]]:
            for r in records("organizations"):
                item = _organization(r)
                item["focus_area_ids"] = [
                    row["focus_area_id"] for row in organization_focus.of(r["id"])
                ]
                item["target_area_ids"] = [
                    row["region_id"] for row in organization_targets.of(r["id"])
                ]
                yield item

        array("organizations", organizations())
        array("persons", (_person(r) for r in records("people")))
        array("memberships", (_membership(r) for r in records("memberships")))
        array("events", (_event(r) for r in records("events")))
        array("agreements", _agreements(by_name))
        out.write("}\n")


def _agreements(by_name: dict[str, Table]) -> Iterator[dict[str, Any]]:
    def children(name: str, key: str = "agreement_id") -> _Children:
        return _Children(_sorted_by(by_name[name], key), key)

    focus = children("agreement_focus_areas")
    areas = children("cooperation_areas")
    parties = children("parties")
    signings = children("signings")
    statements = children("statements")
    contacts = children("agreement_contacts")
    documents = children("documents")
    # Signatures and attendance hang from signings: sorted by signing, read in step with them.
    signatures = children("signatures", "signing_id")
    attendances = children("attendances", "signing_id")
    signing_rows: list[dict[str, Any]] = []
    for r in by_name["agreements"].records():
        signing_rows = signings.of(r["id"])
        yield _clean(
            {
                "id": r["id"],
                "@type": "CreativeWork",
                "additionalType": "Agreement",
                "identifier": r["code"],
                "name": _first_filled(r, "title"),
                "names": _translated(r, "title"),
                "abstract": _translated(r, "summary"),
                "text": _translated(r, "terms"),
                # The title in the signed language, any ISO 639 language (empty: none).
                "original_title": r["original_title"],
                "original_title_language": r["original_title_language"],
                "genre": r["kind"],
                "status": r["status"],
                **{
                    key: r[key]
                    for key in (
                        "signed_on",
                        "effective_from",
                        "term",
                        "valid_until",
                        "term_length",
                        "term_length_unit",
                        "ends_on",
                        "notice_period",
                        "notice_period_unit",
                        "auto_renewal",
                        "terminated_on",
                        "previous_id",
                        "lineage",
                    )
                },
                "inLanguage": r["authentic_languages"],
                "dateModified": r["updated_at"],
                "slug": r["slug"],
                "url": r["url"],
                "focus_area_ids": [row["focus_area_id"] for row in focus.of(r["id"])],
                "cooperation_areas": [
                    _rows_of(row, ("description",), ("agreement_id",)) for row in areas.of(r["id"])
                ],
                "parties": [
                    _rows_of(row, ("role_description",), ("agreement_id",))
                    for row in parties.of(r["id"])
                ],
                "signings": [
                    {
                        **_rows_of(row, ("venue", "description"), ("agreement_id",)),
                        "@type": "Event",
                        "signatures": [
                            _rows_of(s, ("capacity",), ("signing_id",))
                            for s in signatures.of(row["id"])
                        ],
                        "attendances": [
                            _rows_of(a, ("capacity",), ("signing_id",))
                            for a in attendances.of(row["id"])
                        ],
                    }
                    for row in signing_rows
                ],
                "statements": [
                    _rows_of(row, ("text", "capacity"), ("agreement_id",))
                    for row in statements.of(r["id"])
                ],
                "contacts": [_rows_of(row, (), ("agreement_id",)) for row in contacts.of(r["id"])],
                "documents": [
                    _rows_of(row, ("title",), ("agreement_id",)) for row in documents.of(r["id"])
                ],
            }
        )
