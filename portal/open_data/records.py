"""The export's records of the presented resources, built by their presenters
(``organizations/presenters.py``, ``partnerships/presenters.py``): what is public and how a value
is written is decided once, for the API, JSON-LD, the list downloads and this export alike.

A record is the presenter's dict, flattened into the table's columns: every language of a
translated field in its own column (``name_en``, ``name_de``, …) from the dict's
``translations`` (the presentation asks for every language), a reference as its id
(``region_id``). Nested rows are tables of their own, so the presenters are asked for the row
alone (``includes=False``, ``contact_points=False``, ``people=False``, ``nested=False``, …) and read
no prefetches. What the dict does not hold is read from the row beside it, as JSON-LD does: the
ids of the row's parents (``agreement_id``, ``person_id``), a position, the phone number in
E.164 (the dict: the international format) and ``updated_at`` to the second in UTC (the dict:
to the microsecond, in the current time zone).

Rows are read through a server-side cursor in chunks of ``CHUNK_SIZE``, each row with the rows
its references name (``select_related``: no query per row), and presented a chunk at a time in
the default language (the pages' URLs are the English ones). The lookup and link tables
(focus areas, a region's members, the focus areas of organisations and agreements, agreement
contacts) have no presenter of their own: ``schema.Table`` reads them as values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.utils import translation

from core.languages import language_codes
from core.links import Links
from core.presenters import Presentation
from organizations import presenters as organizations_presenters
from organizations.logos import LOGO_SIZES
from organizations.models import Organization, Region
from partnerships import presenters as partnerships_presenters
from partnerships.models import Agreement, AgreementParty, Event

CHUNK_SIZE = 2000
LANGUAGES = language_codes()

Record = dict[str, Any]
Flatten = Callable[[Any, dict[str, Any]], Record]


def presentation(base_url: str) -> Presentation:
    """How the export presents rows: every language, absolute English page URLs."""
    return Presentation(
        links=Links(absolute=lambda path: base_url + path),
        all_languages=True,
        language=settings.LANGUAGE_CODE,
    )


@dataclass(frozen=True)
class Presented:
    """A table whose records are presenter dicts: ``related`` names the rows the presenter
    reads beside the row (its references), ``present`` is the presenter, ``flatten`` makes the
    record of a row and its dict."""

    how: Presentation
    related: tuple[str, ...]
    present: Callable[[Any, Presentation], dict[str, Any]]
    flatten: Flatten

    def records(self, rows: QuerySet, names: list[str]) -> Iterator[Record]:
        """A record of each of ``rows`` (the table's public rows, ordered), its columns
        ``names`` in this order."""
        instances = model_rows(rows, self.related)
        how, present, flatten = self.how, self.present, self.flatten
        while chunk := list(itertools.islice(instances, CHUNK_SIZE)):
            # Per chunk, not around the generator: another table's records are read in step
            # with these (the JSON document nests them), each with its own cursor.
            with translation.override(settings.LANGUAGE_CODE):
                flat = [flatten(row, present(row, how)) for row in chunk]
            for record in flat:
                yield {name: record[name] for name in names}


# Read for the search only, never presented.
UNREAD_COLUMNS = frozenset({"search_names", "search_document", "search_terms"})


def _columns(model: type[Model]) -> list[str]:
    """The model's columns, less the search's and a translated field's own (``name``: the
    presenters read ``name_en``, ``name_de``, …)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in UNREAD_COLUMNS]
    translated = {name for name in names if f"{name}_{LANGUAGES[0]}" in names}
    return [name for name in names if name not in translated]


def _reference_columns() -> dict[type[Model], list[str]]:
    """What the presenters read of a row another one names (``region_ref``, ``organization_ref``,
    ``event_ref``; a signature's party for its organisation, an agreement's earlier one for
    whether it is public); another related row is read whole. A column left out here and read
    by a presenter would be a query per row (tests/portal/test_open_data_records.py counts)."""

    def expand(*names: str, translated: tuple[str, ...] = ()) -> list[str]:
        return [*names, *(f"{name}_{code}" for name in translated for code in LANGUAGES)]

    return {
        Region: expand("id", "slug", "kind", "iso_code", translated=("name",)),
        Organization: expand("id", "slug", translated=("name",)),
        Event: expand("id", "slug", translated=("name",)),
        AgreementParty: ["id", "organization_id"],
        Agreement: ["id", "publication"],
    }


def _instance(model: type[Model], names: list[str], values: tuple[Any, ...]) -> Any:
    """A model instance of values read, as ``Model.from_db`` makes it, less its signals:
    ``__init__`` with its pre- and post-init signals (history, translations) took three
    quarters of the export's time."""
    row = model.__new__(model)
    row.__dict__.update(zip(names, values, strict=True))
    row._state = ModelState()
    row._state.adding = False
    row._state.db = "default"
    return row


def model_rows(queryset: QuerySet, related: tuple[str, ...]) -> Iterator[Any]:
    """The queryset's rows as model instances, each with the rows of its ``related`` foreign
    keys (as ``select_related`` gives them), read as values in one query through a server-side
    cursor. Every column is read (a deferred one would be a query per row when read), but the
    search columns; annotations too (an agreement's ``current_status``)."""
    model = queryset.model
    own = [*_columns(model), *queryset.query.annotations]
    lookups = list(own)
    spans = []
    references = _reference_columns()
    for name in related:
        other = model._meta.get_field(name).related_model
        columns = references.get(other) or _columns(other)
        start = len(lookups)
        lookups += [f"{name}__{column}" for column in columns]
        spans.append((name, other, columns, start, len(lookups), start + columns.index("id")))
    width = len(own)
    if hasattr(queryset, "rewrite"):  # modeltranslation's: the columns as they are, no fallback
        queryset = queryset.rewrite(False)
    # A row that many name (a country, a region) is made once and shared.
    shared: dict[tuple[str, Any], Any] = {}
    for values in queryset.values_list(*lookups).iterator(chunk_size=CHUNK_SIZE):
        row = _instance(model, own, values[:width])
        cache = row._state.fields_cache
        for name, other, columns, start, end, pk_at in spans:
            pk = values[pk_at]
            if pk is None:
                cache[name] = None
                continue
            related_row = shared.get((name, pk))
            if related_row is None:
                related_row = shared[(name, pk)] = _instance(other, columns, values[start:end])
            cache[name] = related_row
        if len(shared) > CHUNK_SIZE:
            shared.clear()
        yield row


def translated(data: dict[str, Any], *names: str) -> Record:
    """``{"name_en": …, "name_de": …}``: every language of the dict's translated fields."""
    texts = data["translations"]
    return {f"{name}_{code}": texts[name][code] for name in names for code in LANGUAGES}


def ref_id(ref: dict[str, Any] | None) -> int | None:
    return None if ref is None else ref["id"]


# The tables ----------------------------------------------------------------------------------


def regions(how: Presentation) -> Presented:
    return Presented(
        how,
        ("parent",),
        lambda row, how: organizations_presenters.region(row, how, includes=False),
        lambda row, d: {
            "id": d["id"],
            "slug": d["slug"],
            **translated(d, "name"),
            "kind": d["kind"],
            "iso_code": d["iso_code"],
            "parent_id": ref_id(d["parent"]),
            "url": d["url"],
        },
    )


def logo_columns(logo: list[dict[str, Any]]) -> Record:
    """``{"logo_128_url": …, "logo_256_url": …}``: the logo's address in each bounded size."""
    urls = {item["size"]: item["url"] for item in logo}
    return {f"logo_{size}_url": urls.get(size, "") for size in LOGO_SIZES}


def organizations(how: Presentation) -> Presented:
    """Organisations with their partner profile; its target regions are a link table of their
    own, its international-affairs contact the id of a public contact point (``memberships``),
    annotated on the rows (``schema.organizations``) by the one rule of what is public."""
    return Presented(
        how,
        ("region",),
        lambda row, how: organizations_presenters.organization(
            row, how, focus_areas=False, profile_rows=False
        ),
        lambda row, d: {
            "id": d["id"],
            "slug": d["slug"],
            **translated(d, "name", "description"),
            "short_name": d["short_name"],
            "legal_name": d["legal_name"],
            "kind": d["kind"],
            "region_id": ref_id(d["region"]),
            "parent_id": d["parent"],
            "street_address": d["street_address"],
            "postal_code": d["postal_code"],
            "locality": d["locality"],
            "website": d["website"],
            "email": d["email"],
            "phone": row.phone,
            "latitude": d["latitude"],
            "longitude": d["longitude"],
            "location_source": d["location_source"],
            **translated(d, "offers", "seeks"),
            "member_count": d["member_count"],
            "sme_count": d["sme_count"],
            "languages": d["languages"],
            "international_contact_id": row.public_international_contact_id,
            **logo_columns(d["logo"]),
            "is_archived": d["is_archived"],
            "updated_at": row.updated_at,
            "url": d["url"],
        },
    )


def people(how: Presentation) -> Presented:
    return Presented(
        how,
        (),
        lambda row, how: organizations_presenters.person(row, how, contact_points=False),
        lambda row, d: {
            "id": d["id"],
            "slug": d["slug"],
            **translated(d, "honorific"),
            "given_name": d["given_name"],
            "family_name": d["family_name"],
            "native_name": d["native_name"],
            "native_name_reading": d["native_name_reading"],
            "native_name_order": d["native_name_order"],
        },
    )


def memberships(how: Presentation) -> Presented:
    return Presented(
        how,
        ("organization",),
        organizations_presenters.contact_point,
        lambda row, d: {
            "id": d["id"],
            "person_id": row.person_id,
            "organization_id": ref_id(d["organization"]),
            **translated(d, "position"),
            "email": d["email"],
            "phone": row.phone,
            "stated_on": d["stated_on"],
        },
    )


def events(how: Presentation) -> Presented:
    return Presented(
        how,
        ("region", "organizer"),
        lambda row, how: partnerships_presenters.event(row, how, agreements=False),
        lambda row, d: {
            "id": d["id"],
            "slug": d["slug"],
            **translated(d, "name", "description", "venue"),
            "organizer_id": ref_id(d["organizer"]),
            "region_id": ref_id(d["region"]),
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "website": d["website"],
            "url": d["url"],
        },
    )


def agreements(how: Presentation) -> Presented:
    return Presented(
        how,
        ("previous",),
        lambda row, how: partnerships_presenters.agreement(row, how, nested=False),
        lambda row, d: {
            "id": d["id"],
            "slug": d["slug"],
            "code": d["code"],
            **translated(d, "title", "summary", "terms"),
            "original_title": d["original_title"],
            "original_title_language": d["original_title_language"],
            "kind": d["kind"],
            "status": d["status"],
            "signed_on": d["signed_on"],
            "effective_from": d["effective_from"],
            "term": d["term"],
            "valid_until": d["valid_until"],
            "term_length": d["term_length"],
            "term_length_unit": d["term_length_unit"],
            "ends_on": d["ends_on"],
            "notice_period": d["notice_period"],
            "notice_period_unit": d["notice_period_unit"],
            "auto_renewal": d["auto_renewal"],
            "terminated_on": d["terminated_on"],
            # The earlier agreement and how this one relates to it, when that one is public.
            "previous_id": d["previous"],
            "lineage": d["lineage"] if d["previous"] is not None else "",
            "authentic_languages": d["authentic_languages"],
            "updated_at": row.updated_at,
            "url": d["url"],
        },
    )


def cooperation_areas(how: Presentation) -> Presented:
    return Presented(
        how,
        (),
        partnerships_presenters.cooperation_area,
        lambda row, d: {
            "id": row.pk,
            "agreement_id": row.agreement_id,
            **translated(d, "description"),
            "position": row.position,
        },
    )


def parties(how: Presentation) -> Presented:
    return Presented(
        how,
        ("organization",),
        partnerships_presenters.party,
        lambda row, d: {
            "id": row.pk,
            "agreement_id": row.agreement_id,
            "organization_id": ref_id(d["organization"]),
            "role": d["role"],
            **translated(d, "role_description"),
            "position": row.position,
        },
    )


def signings(how: Presentation) -> Presented:
    return Presented(
        how,
        ("place", "occasion"),
        lambda row, how: partnerships_presenters.signing_event(row, how, people=False),
        lambda row, d: {
            "id": d["id"],
            "agreement_id": row.agreement_id,
            "signed_on": d["signed_on"],
            "place_id": ref_id(d["place"]),
            **translated(d, "venue"),
            "event_id": ref_id(d["occasion"]),
            **translated(d, "description"),
        },
    )


def signatures(how: Presentation) -> Presented:
    return Presented(
        how,
        ("person", "party"),
        partnerships_presenters.signature,
        lambda row, d: {
            "id": row.pk,
            "signing_id": row.signing_event_id,
            "person_id": row.person_id,
            "party_id": row.party_id,
            **translated(d, "capacity"),
        },
    )


def attendances(how: Presentation) -> Presented:
    return Presented(
        how,
        ("person", "organization"),
        partnerships_presenters.attendance,
        lambda row, d: {
            "id": row.pk,
            "signing_id": row.signing_event_id,
            "person_id": row.person_id,
            "organization_id": ref_id(d["organization"]),
            **translated(d, "capacity"),
            "is_dignitary": d["is_dignitary"],
        },
    )


def statements(how: Presentation) -> Presented:
    return Presented(
        how,
        ("person", "organization"),
        partnerships_presenters.statement,
        lambda row, d: {
            "id": row.pk,
            "agreement_id": row.agreement_id,
            "person_id": row.person_id,
            "organization_id": ref_id(d["organization"]),
            **translated(d, "text", "capacity"),
            "original_language": d["original_language"],
            "original_text": d["original_text"],
            "position": row.position,
        },
    )


def documents(how: Presentation) -> Presented:
    return Presented(
        how,
        (),
        partnerships_presenters.document,
        lambda row, d: {
            "id": d["id"],
            "agreement_id": d["agreement"],
            "kind": d["kind"],
            **translated(d, "title"),
            "url": d["url"],
            "file_url": d["file_url"] or "",
            "original_name": row.original_name,
            "language": d["language"],
            "published_on": d["published_on"],
        },
    )
