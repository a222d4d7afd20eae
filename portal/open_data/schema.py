"""The tables of the open-data export: their columns, keys and public rows, read through
server-side cursors. The records of a presented resource (regions, organisations, people and
their contact points, events, agreements and their parties, cooperation areas, signings,
signatures, attendance, statements, documents) are its presenter's dicts (``records.py``); the
lookup and link tables' are their values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import translation

from core.languages import language_codes, language_fields
from core.links import affixes
from organizations.logos import LOGO_SIZES
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from partnerships.models import (
    Activity,
    Agreement,
    AgreementContact,
    AgreementParty,
    AgreementQuerySet,
    Attendance,
    Commitment,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)
from partnerships.selectors import public_namings
from portal.open_data import records

LANGUAGES = language_codes()  # the columns name_en, name_de, …
CHUNK_SIZE = records.CHUNK_SIZE  # rows per round trip of a cursor


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
    # The records of a presented resource: its presenter's dicts (portal/open_data/records.py).
    presented: records.Presented | None = None

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every row as ``{field name: Python value}``, ordered by the primary key, read through a
        server-side cursor: a presented resource's through its presenter (``records.py``), a
        lookup or link table's as values."""
        if self.presented is not None:
            order = [self.column(key).expression() for key in self.primary_key]
            yield from self.presented.records(
                self.rows().order_by(*order), [f.name for f in self.fields]
            )
            return
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
    return [Field(column, kind) for column in language_fields(name)]


def url_of(url_name: str, key: str = "slug", base_url: str = "") -> Expression:
    """The public page of the row, as an absolute URL built in SQL (English): for the link
    tables and the values-read tables that have no presenter (commitments, activities)."""
    with translation.override(settings.LANGUAGE_CODE):
        before, after = affixes(url_name, key)  # one reverse; the key is spliced in SQL
    value = F(key) if key != "pk" else Cast("pk", CharField())
    return Concat(Value(base_url + before), value, Value(after), output_field=CharField())


def organizations_with_public_contact() -> QuerySet[Organization]:
    """Every organisation, with ``public_international_contact_id``: its international-affairs
    contact when that is a public contact point (the one rule,
    ``AffiliationQuerySet.publishable``), else null."""
    public = Affiliation.objects.publishable().filter(pk=OuterRef("international_contact_id"))
    return Organization.objects.annotate(
        public_international_contact_id=Subquery(public.values("pk"))
    )


def published_agreements() -> AgreementQuerySet:
    return Agreement.objects.published()


def tables(base_url: str) -> list[Table]:
    """Every table of the export, parents before children."""
    published = published_agreements
    public_signings = SigningEvent.objects.public
    how = records.presentation(base_url)
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
                Field("url"),
            ],
            foreign_keys=[ForeignKey("parent_id", "regions")],
            presented=records.regions(how),
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
            "Organisations (archived ones are kept: agreements name them), with their partner "
            "profile",
            organizations_with_public_contact,
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
                *translations("offers"),
                *translations("seeks"),
                Field("member_count", "integer"),
                Field("sme_count", "integer", description="SMEs among the members"),
                Field("languages", description="ISO 639-1 codes separated by ';'"),
                Field(
                    "international_contact_id",
                    "integer",
                    description="The international-affairs contact (a row of memberships)",
                ),
                *(
                    Field(f"logo_{size}_url", description=f"The logo, at most {size} pixels")
                    for size in LOGO_SIZES
                ),
                Field("is_archived", "boolean"),
                Field("updated_at", "datetime"),
                Field("url"),
            ],
            foreign_keys=[
                ForeignKey("region_id", "regions"),
                ForeignKey("parent_id", "organizations"),
                ForeignKey("international_contact_id", "memberships"),
            ],
            presented=records.organizations(how),
        ),
        Table(
            "organization_target_regions",
            "The regions where each organisation looks for partners",
            Organization.target_regions.through.objects.all,
            [
                Field("id", "integer"),
                Field("organization_id", "integer"),
                Field("region_id", "integer"),
            ],
            foreign_keys=[
                ForeignKey("organization_id", "organizations"),
                ForeignKey("region_id", "regions"),
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
            lambda: Person.objects.public(named_in=public_namings()),
            [
                Field("id", "integer"),
                Field("slug"),
                *translations("honorific"),
                Field("given_name"),
                Field("family_name"),
                Field(
                    "native_name",
                    description="The name in Japanese script (kanji or katakana), in its own order",
                ),
                Field(
                    "native_name_reading",
                    description="Its reading (furigana) in kana, parts separated by spaces",
                ),
                Field(
                    "native_name_order",
                    description="Order of the Latin name: given_first or family_first",
                ),
            ],
            presented=records.people(how),
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
            presented=records.memberships(how),
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
                Field("url"),
            ],
            foreign_keys=[
                ForeignKey("organizer_id", "organizations"),
                ForeignKey("region_id", "regions"),
            ],
            presented=records.events(how),
        ),
        Table(
            "agreements",
            "Published cooperation agreements",
            lambda: published().with_status(),  # the status as the pages derive it
            [
                Field("id", "integer"),
                Field("slug"),
                Field("code"),
                *translations("title"),
                *translations("summary"),
                *translations("terms"),
                Field(
                    "original_title",
                    description="The title in the signed language (original_title_language)",
                ),
                Field(
                    "original_title_language",
                    description="ISO 639 code of original_title, any language; empty without one",
                ),
                Field("kind"),
                Field("status", description="Derived, on the date"),
                Field("signed_on", "date"),
                Field("effective_from", "date"),
                Field("term"),
                Field("valid_until", "date"),
                Field("term_length", "integer"),
                Field("term_length_unit"),
                Field("ends_on", "date", description="'valid until', or from the term"),
                Field("notice_period", "integer"),
                Field("notice_period_unit"),
                Field("auto_renewal", "boolean"),
                Field("terminated_on", "date"),
                # The earlier agreement (and how this one relates to it) only when it is
                # published itself.
                Field("previous_id", "integer"),
                Field("lineage"),
                Field("authentic_languages", description="Language codes separated by ';'"),
                Field("updated_at", "datetime"),
                Field("url"),
            ],
            foreign_keys=[ForeignKey("previous_id", "agreements")],
            presented=records.agreements(how),
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
            presented=records.cooperation_areas(how),
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
            presented=records.parties(how),
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
            presented=records.signings(how),
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
            presented=records.signatures(how),
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
            presented=records.attendances(how),
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
                Field("original_language", description="ISO 639 code, any language"),
                Field(
                    "original_text",
                    description="The quote as said, in original_language; empty if unknown",
                ),
                Field("position", "integer"),
            ],
            foreign_keys=[
                ForeignKey("agreement_id", "agreements"),
                ForeignKey("person_id", "people"),
                ForeignKey("organization_id", "organizations"),
            ],
            presented=records.statements(how),
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
                Field("file_url", description="The uploaded file, if any"),
                Field("original_name"),
                Field("language"),
                Field("published_on", "date"),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
            presented=records.documents(how),
        ),
        # Issue 21: commitments of published agreements, public activities with their results.
        Table(
            "commitments",
            "Commitments of published agreements: what the parties promised, item by item",
            lambda: Commitment.objects.filter(agreement__in=published()),
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                *translations("text"),
                Field("position", "integer"),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
        Table(
            "activities",
            "Public activities under published agreements, with their results",
            Activity.objects.public,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("kind"),
                Field("starts_on", "date"),
                Field("ends_on", "date"),
                Field("place"),
                *translations("description"),
                Field("companies", "integer"),
                Field("meetings", "integer"),
                Field("introductions", "integer"),
                Field("projects", "integer"),
                Field("funding", "number", description="Funding obtained, in euros"),
                Field("evidence_url"),
                Field(
                    "evidence_file_url",
                    source=Case(
                        When(evidence_file="", then=Value("")),
                        default=url_of("partnerships:activity_evidence", "pk", base_url),
                    ),
                    description="The uploaded evidence, if any",
                ),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
    ]
