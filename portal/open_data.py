"""The whole-portal open-data export: ``manage.py export_open_data``.

One run writes, into the storage (Django's storage API: the file system or S3), a directory
``open-data/<UTC timestamp>/`` holding

* ``open-data.json``: everything in one JSON document with Popolo / schema.org terms — ``areas``
  (regions), ``organizations``, ``persons``, ``memberships`` (public contact points), ``events``
  (schema.org ``Event``) and ``agreements`` with their parties, focus areas, cooperation areas,
  signings (with signatures and attendance), statements, contacts and documents;
* a CSV data package (Frictionless Data Package): one CSV per table (:data:`TABLES`) and
  ``datapackage.json`` describing each file's fields, types, primary and foreign keys;
* ``manifest.json`` — written last: a run without it is incomplete and never offered. The public
  page (``/<lang>/open-data/``) offers the newest complete run; older runs are pruned.

Only public rows, each by the model's one rule: published agreements
(``Agreement.objects.published()``) and what hangs from them (signings, statements, documents
marked public), public events, publishable contact points; people are exported by name only
when a public contact point or a published agreement names them (the agreement pages show
signatories, guests and speakers), and their contact data only through publishable contact
points. Every table is read with ``iterator()`` (server-side cursors): memory stays constant.
Translated fields are exported in every language (``name_en``, ``name_de``, ``name_ja``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation

from core.downloads import open_data_license
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    AgreementQuerySet,
    Attendance,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)

LANGUAGES = ("en", "de", "ja")
CHUNK_SIZE = 2000
DIRECTORY = "open-data"
MANIFEST = "manifest.json"
JSON_FILE = "open-data.json"
DATAPACKAGE = "datapackage.json"
RUNS_KEPT = 3  # the newest complete runs kept in storage; older ones are deleted


def open_data_storage() -> Storage:
    """Where the export goes: the ``PORTAL_OPEN_DATA_STORAGE`` alias of ``STORAGES``
    (``default``: MEDIA_ROOT, or the S3 bucket)."""
    return storages[getattr(settings, "PORTAL_OPEN_DATA_STORAGE", "default")]


# The tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A column: its name, Frictionless type, and what to read (a lookup or an expression;
    the name itself by default)."""

    name: str
    type: str = "string"
    source: str | Expression | F | None = None
    description: str = ""

    def expression(self) -> Expression | F:
        if self.source is None:
            return F(self.name)
        if isinstance(self.source, str):
            return F(self.source)
        return self.source


@dataclass(frozen=True)
class ForeignKey:
    fields: str
    resource: str
    reference: str = "id"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    rows: Callable[[], QuerySet]  # the public rows
    fields: list[Field]
    primary_key: list[str] = field(default_factory=lambda: ["id"])
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def records(self) -> Iterator[dict[str, Any]]:
        """Every row as ``{field name: Python value}``, ordered by the primary key, read through a
        server-side cursor."""
        names = [f.name for f in self.fields]
        aliases = {f"x_{f.name}": f.expression() for f in self.fields}
        queryset = (
            self.rows()
            .order_by()
            .annotate(**aliases)
            .order_by(*(f"x_{key}" for key in self.primary_key))
            .values_list(*aliases)
        )
        for values in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield dict(zip(names, values, strict=True))


def translations(name: str, kind: str = "string") -> list[Field]:
    return [Field(f"{name}_{language}", kind) for language in LANGUAGES]


def url_of(url_name: str, key: str = "slug", base_url: str = "") -> Expression:
    """The public page of the row, as an absolute URL built in SQL (English)."""
    marker = "00000" if key == "pk" else "marker"
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(url_name, kwargs={key: marker})
    before, after = path.split(marker)
    value = F(key) if key != "pk" else Cast("pk", CharField())
    return Concat(Value(base_url + before), value, Value(after), output_field=CharField())


def published_agreements() -> AgreementQuerySet:
    return Agreement.objects.published()


def exported_people() -> QuerySet[Person]:
    """People the export names: those with a publishable contact point, and those a published
    agreement names (signatories, guests, speakers — shown on its public page)."""
    signings = SigningEvent.objects.public()
    return Person.objects.filter(
        Q(Exists(Affiliation.objects.publishable().filter(person=OuterRef("pk"))))
        | Q(Exists(Signature.objects.filter(person=OuterRef("pk"), signing_event__in=signings)))
        | Q(Exists(Attendance.objects.filter(person=OuterRef("pk"), signing_event__in=signings)))
        | Q(
            Exists(
                Statement.objects.filter(
                    person=OuterRef("pk"), agreement__in=published_agreements()
                )
            )
        )
    )


def tables(base_url: str) -> list[Table]:
    """Every table of the export, parents before children."""
    published = published_agreements
    public_signings = SigningEvent.objects.public
    return [
        Table(
            "regions",
            "Regions: countries (ISO 3166-1), subdivisions (ISO 3166-2), districts, cities and "
            "macro-regions",
            Region.objects.all,
            [
                Field("id", "integer"),
                Field("slug"),
                *translations("name"),
                Field("kind"),
                Field("iso_code"),
                Field("parent_id", "integer"),
                Field("url", source=url_of("partnerships:region_detail", base_url=base_url)),
            ],
            foreign_keys=[ForeignKey("parent_id", "regions")],
        ),
        Table(
            "region_members",
            "The regions a macro-region includes (Kansai includes Osaka)",
            Region.members.through.objects.all,
            [
                Field("id", "integer"),
                Field("macro_region_id", "integer", "from_region_id"),
                Field("region_id", "integer", "to_region_id"),
            ],
            foreign_keys=[
                ForeignKey("macro_region_id", "regions"),
                ForeignKey("region_id", "regions"),
            ],
        ),
        Table(
            "focus_areas",
            "Focus areas of organisations and agreements",
            FocusArea.objects.all,
            [Field("id", "integer"), Field("slug"), *translations("name")],
        ),
        Table(
            "organizations",
            "Organisations (archived ones are kept: agreements name them)",
            Organization.objects.all,
            [
                Field("id", "integer"),
                Field("slug"),
                *translations("name"),
                Field("short_name"),
                Field("legal_name"),
                Field("kind"),
                Field("region_id", "integer"),
                Field("parent_id", "integer"),
                Field("street_address"),
                Field("postal_code"),
                Field("locality"),
                Field("website"),
                Field("email"),
                Field("phone"),
                *translations("description"),
                Field("latitude", "number"),
                Field("longitude", "number"),
                Field("location_source"),
                Field("is_archived", "boolean"),
                Field("updated_at", "datetime"),
                Field("url", source=url_of("partnerships:organization_detail", base_url=base_url)),
            ],
            foreign_keys=[
                ForeignKey("region_id", "regions"),
                ForeignKey("parent_id", "organizations"),
            ],
        ),
        Table(
            "organization_focus_areas",
            "The focus areas of each organisation",
            Organization.focus_areas.through.objects.all,
            [
                Field("id", "integer"),
                Field("organization_id", "integer"),
                Field("focus_area_id", "integer", "focusarea_id"),
            ],
            foreign_keys=[
                ForeignKey("organization_id", "organizations"),
                ForeignKey("focus_area_id", "focus_areas"),
            ],
        ),
        Table(
            "people",
            "People named by a public contact point or a published agreement (names only)",
            exported_people,
            [
                Field("id", "integer"),
                Field("slug"),
                *translations("honorific"),
                Field("given_name"),
                Field("family_name"),
                Field("native_name"),
                Field("native_name_order"),
            ],
        ),
        Table(
            "memberships",
            "Public contact points: a person's current position at an organisation",
            Affiliation.objects.publishable,
            [
                Field("id", "integer"),
                Field("person_id", "integer"),
                Field("organization_id", "integer"),
                *translations("position"),
                Field("email"),
                Field("phone"),
                Field("stated_on", "date"),
            ],
            foreign_keys=[
                ForeignKey("person_id", "people"),
                ForeignKey("organization_id", "organizations"),
            ],
        ),
        Table(
            "events",
            "Conferences and trade fairs at which agreements may be signed",
            Event.objects.public,
            [
                Field("id", "integer"),
                Field("slug"),
                *translations("name"),
                *translations("description"),
                Field("organizer_id", "integer"),
                Field("region_id", "integer"),
                *translations("venue"),
                Field("starts_on", "date"),
                Field("ends_on", "date"),
                Field("website"),
                Field("url", source=url_of("partnerships:event_detail", base_url=base_url)),
            ],
            foreign_keys=[
                ForeignKey("organizer_id", "organizations"),
                ForeignKey("region_id", "regions"),
            ],
        ),
        Table(
            "agreements",
            "Published cooperation agreements",
            lambda: published().with_status().with_end_date(),
            [
                Field("id", "integer"),
                Field("slug"),
                Field("code"),
                *translations("title"),
                *translations("summary"),
                *translations("terms"),
                Field("kind"),
                Field("status", source=F("current_status"), description="Derived, on the date"),
                Field("signed_on", "date"),
                Field("effective_from", "date"),
                Field("term"),
                Field("valid_until", "date"),
                Field("term_length", "integer"),
                Field("term_length_unit"),
                Field("ends_on", "date", F("end_date"), "'valid until', or from the term"),
                Field("notice_period", "integer"),
                Field("notice_period_unit"),
                Field("auto_renewal", "boolean"),
                Field("terminated_on", "date"),
                # The earlier agreement only when it is published itself.
                Field(
                    "previous_id",
                    "integer",
                    Case(
                        When(previous__in=published(), then=F("previous_id")),
                        default=None,
                        output_field=BigIntegerField(),
                    ),
                ),
                Field(
                    "lineage",
                    source=Case(
                        When(previous__in=published(), then=F("lineage")), default=Value("")
                    ),
                ),
                Field(
                    "authentic_languages",
                    source=F("authentic_languages"),
                    description="Language codes separated by ';'",
                ),
                Field("updated_at", "datetime"),
                Field("url", source=url_of("partnerships:agreement_detail", base_url=base_url)),
            ],
            foreign_keys=[ForeignKey("previous_id", "agreements")],
        ),
        Table(
            "agreement_focus_areas",
            "The focus areas of each agreement",
            lambda: Agreement.focus_areas.through.objects.filter(agreement__in=published()),
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("focus_area_id", "integer", "focusarea_id"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("focus_area_id", "focus_areas"),
            ],
        ),
        Table(
            "cooperation_areas",
            "The agreed scope of cooperation, item by item",
            lambda: CooperationArea.objects.filter(agreement__in=published()),
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                *translations("description"),
                Field("position", "integer"),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
        Table(
            "parties",
            "The parties of each agreement",
            lambda: AgreementParty.objects.filter(agreement__in=published()),
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("organization_id", "integer"),
                Field("role"),
                *translations("role_description"),
                Field("position", "integer"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("organization_id", "organizations"),
            ],
        ),
        Table(
            "signings",
            "Signings (the ceremonies) of published agreements",
            public_signings,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("signed_on", "date"),
                Field("place_id", "integer"),
                *translations("venue"),
                Field("event_id", "integer", "occasion_id"),
                *translations("description"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("place_id", "regions"),
                ForeignKey("event_id", "events"),
            ],
        ),
        Table(
            "signatures",
            "Who signed, on behalf of which party",
            lambda: Signature.objects.filter(signing_event__in=public_signings()),
            [
                Field("id", "integer"),
                Field("signing_id", "integer", "signing_event_id"),
                Field("person_id", "integer"),
                Field("party_id", "integer"),
                *translations("capacity"),
            ],
            foreign_keys=[
                ForeignKey("signing_id", "signings"),
                ForeignKey("person_id", "people"),
                ForeignKey("party_id", "parties"),
            ],
        ),
        Table(
            "attendances",
            "Dignitaries and guests present at a signing",
            lambda: Attendance.objects.filter(signing_event__in=public_signings()),
            [
                Field("id", "integer"),
                Field("signing_id", "integer", "signing_event_id"),
                Field("person_id", "integer"),
                Field("organization_id", "integer"),
                *translations("capacity"),
                Field("is_dignitary", "boolean"),
            ],
            foreign_keys=[
                ForeignKey("signing_id", "signings"),
                ForeignKey("person_id", "people"),
                ForeignKey("organization_id", "organizations"),
            ],
        ),
        Table(
            "statements",
            "Quotes about published agreements",
            lambda: Statement.objects.filter(agreement__in=published()),
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("person_id", "integer"),
                Field("organization_id", "integer"),
                *translations("text"),
                *translations("capacity"),
                Field("original_language"),
                Field("position", "integer"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("person_id", "people"),
                ForeignKey("organization_id", "organizations"),
            ],
        ),
        Table(
            "agreement_contacts",
            "Whom to contact about an agreement, for one party (a public contact point)",
            AgreementContact.objects.public,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("party_id", "integer"),
                Field("membership_id", "integer", "affiliation_id"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("party_id", "parties"),
                ForeignKey("membership_id", "memberships"),
            ],
        ),
        Table(
            "documents",
            "Public documents and sources of published agreements (links and uploaded files)",
            Document.objects.public,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("kind"),
                *translations("title"),
                Field("url"),
                Field(
                    "file_url",
                    source=Case(
                        When(file="", then=Value("")),
                        default=url_of("partnerships:document_file", "pk", base_url),
                    ),
                    description="The uploaded file, if any",
                ),
                Field("original_name"),
                Field("language"),
                Field("published_on", "date"),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
    ]


# Values ------------------------------------------------------------------------------------


def csv_value(value: Any) -> str:
    """A value as Frictionless reads it with its default formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164
    return str(value)


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


# The data package --------------------------------------------------------------------------


def datapackage(table_list: list[Table], generated: datetime.datetime) -> dict[str, Any]:
    """The Frictionless ``datapackage.json``: every CSV, its fields and keys."""
    resources = []
    for table in table_list:
        schema: dict[str, Any] = {
            "fields": [
                {"name": f.name, "type": f.type}
                | ({"description": f.description} if f.description else {})
                for f in table.fields
            ],
            "primaryKey": table.primary_key,
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": key.fields,
                    # A key to the table itself: Frictionless writes the resource as "".
                    "reference": {
                        "resource": "" if key.resource == table.name else key.resource,
                        "fields": key.reference,
                    },
                }
                for key in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "title": table.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "cluster-partnership-portal",
        "title": "Cluster Partnership Portal: open data",
        "created": csv_value(generated),
        "licenses": [open_data_license()],
        "resources": resources,
    }


def write_csv(table: Table, path: Path) -> int:
    """The table as ``path`` (UTF-8, no byte order mark: the package is for programs, which the
    BOM confuses; the list downloads carry one for Excel). Returns the row count."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in table.fields])
        for record in table.records():
            writer.writerow([csv_value(value) for value in record.values()])
            count += 1
    return count


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


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {key: json_value(value) for key, value in record.items() if value not in (None, "")}


def _area(r: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "id": r["id"],
            "@type": "Place",
            "name": r["name_en"],
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
            "name": r["name_en"],
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
            "honorific_prefix": r["honorific_en"],
            "other_names": [{"name": r["native_name"], "note": "native script"}]
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
            "role": r["position_en"],
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
            "name": r["name_en"],
            "names": _translated(r, "name"),
            "description": _translated(r, "description"),
            "startDate": r["starts_on"],
            "endDate": r["ends_on"],
            "location": _clean({"name": r["venue_en"], "area_id": r["region_id"]}),
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
    return Table(table.name, table.title, table.rows, table.fields, [key, "id"]).records()


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

        def organizations() -> Iterator[dict[str, Any]]:
            for r in records("organizations"):
                item = _organization(r)
                item["focus_area_ids"] = [
                    row["focus_area_id"] for row in organization_focus.of(r["id"])
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
                "name": r["title_en"] or r["title_de"] or r["title_ja"],
                "names": _translated(r, "title"),
                "abstract": _translated(r, "summary"),
                "text": _translated(r, "terms"),
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


# The run -----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    directory: str  # in the storage
    generated: datetime.datetime
    files: dict[str, int]  # name → size in bytes
    rows: dict[str, int]  # table → row count


def export(
    *, base_url: str = "", storage: Storage | None = None, say: Callable[[str], None] = print
) -> ExportResult:
    """Write a new run into the storage, then its manifest (which makes it visible), then prune
    older runs. Files are first written to a local temporary directory."""
    storage = storage or open_data_storage()
    now = timezone.now()
    generated = now.replace(microsecond=0)
    # To the microsecond: two runs in one second get their own directories (fixed width: the
    # names sort as the times).
    run = f"{DIRECTORY}/{now.astimezone(datetime.UTC):%Y%m%dT%H%M%S%fZ}"
    table_list = tables(base_url.rstrip("/"))
    rows: dict[str, int] = {}
    files: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as temporary:
        local = Path(temporary)
        for table in table_list:
            rows[table.name] = write_csv(table, local / table.path)
            say(f"{table.path}: {rows[table.name]} rows")
        (local / DATAPACKAGE).write_text(
            json.dumps(datapackage(table_list, generated), indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
        say(f"{DATAPACKAGE}: {len(table_list)} resources")
        write_json(table_list, local / JSON_FILE, generated)
        say(f"{JSON_FILE}: written")
        for path in sorted(local.iterdir()):
            with path.open("rb") as content:
                saved = storage.save(f"{run}/{path.name}", File(content))
            if saved != f"{run}/{path.name}":  # the run's directory is new: never happens
                raise RuntimeError(f"{saved} was stored under another name")
            files[path.name] = path.stat().st_size
            say(f"stored {saved} ({files[path.name]} bytes)")
    manifest = {
        "generated": csv_value(generated),
        "license": open_data_license(),
        "files": files,
        "rows": rows,
    }
    storage.save(f"{run}/{MANIFEST}", ContentFile(json.dumps(manifest, indent=2).encode()))
    say(f"stored {run}/{MANIFEST}: the run is complete")
    for old in complete_runs(storage)[RUNS_KEPT:]:
        delete_run(storage, old)
        say(f"deleted the older run {old}")
    return ExportResult(directory=run, generated=generated, files=files, rows=rows)


def complete_runs(storage: Storage | None = None) -> list[str]:
    """The runs that have a manifest, newest first (timestamps sort as text)."""
    storage = storage or open_data_storage()
    try:
        directories, _files = storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return []
    runs = sorted((f"{DIRECTORY}/{name}" for name in directories), reverse=True)
    return [run for run in runs if storage.exists(f"{run}/{MANIFEST}")]


def delete_run(storage: Storage, run: str) -> None:
    _directories, names = storage.listdir(run)
    storage.delete(f"{run}/{MANIFEST}")  # first: the run is no longer offered
    for name in names:
        if name != MANIFEST:
            storage.delete(f"{run}/{name}")
    if hasattr(storage, "path"):
        with contextlib.suppress(NotImplementedError, OSError):
            Path(storage.path(run)).rmdir()


@dataclass
class LatestRun:
    directory: str
    generated: datetime.datetime | None
    license: dict[str, str]
    files: dict[str, int]
    rows: dict[str, int]


def latest_run(storage: Storage | None = None) -> LatestRun | None:
    """The newest complete run, read from its manifest; None before the first export."""
    storage = storage or open_data_storage()
    for run in complete_runs(storage):
        try:
            with storage.open(f"{run}/{MANIFEST}") as content:
                manifest = json.loads(content.read())
        except FileNotFoundError:  # pruned meanwhile
            continue
        generated = manifest.get("generated")
        return LatestRun(
            directory=run,
            generated=datetime.datetime.fromisoformat(generated) if generated else None,
            license=manifest.get("license") or open_data_license(),
            files=manifest.get("files", {}),
            rows=manifest.get("rows", {}),
        )
    return None
