"""Cooperation agreements, their parties, signing events, signatures, attendance and statements."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, Now
from django.db.models.lookups import (
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.languages import (
    AnyLanguageModelMixin,
    in_language_note,
    language_codes,
    language_fields,
    missing_language_errors,
    validate_iso639,
)
from core.trees import would_be_own_ancestor
from organizations.functions import SearchTerms
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from partnerships import rules, terms
from partnerships.functions import AgreementDocument
from partnerships.terms import DurationUnit, add_months
from partnerships.uploads import document_upload_to, validate_document_file

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class StatusAnnotation(TypedDict):
        """What :meth:`AgreementQuerySet.with_status` adds to each row."""

        current_status: str

    # Agreements from :meth:`AgreementQuerySet.with_status`, which may be filtered by status.
    type AgreementsWithStatus = AgreementQuerySet[WithAnnotations[Agreement, StatusAnnotation]]


LANGUAGE_CHOICES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("ko", _("Korean")),
]


def format_duration(count: int, unit: str) -> str:
    """A duration as entered, in the active language: "6 months", "6 Monate", "6か月"."""
    if unit == DurationUnit.DAYS:
        text = ngettext("%(count)d day", "%(count)d days", count)
    elif unit == DurationUnit.WEEKS:
        text = ngettext("%(count)d week", "%(count)d weeks", count)
    elif unit == DurationUnit.MONTHS:
        text = ngettext("%(count)d month", "%(count)d months", count)
    else:
        text = ngettext("%(count)d year", "%(count)d years", count)
    return text % {"count": count}


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> EventQuerySet:
        """Events the public may see: the one rule, used by the pages, the sitemap and search.

        An event is public unless it is known only as the occasion of unpublished agreements:
        an event without any signing yet is public, one whose signings all belong to
        unpublished agreements is not.
        """
        signings = SigningEvent.objects.filter(occasion=OuterRef("pk"))
        return self.filter(~Exists(signings) | Exists(signings.public()))


class Event(AnyLanguageModelMixin, models.Model):
    """An event (a conference, a trade fair) at which agreements may be signed, e.g. BIO-Europe
    2015 in Munich. Called "event" everywhere; the signing itself is a :class:`SigningEvent`."""

    any_language_fields = ("name",)  # a name in one language, any (core/languages.py)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organized_events",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("city / region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    website = models.URLField(_("website"), blank=True)
    # The version an admin form was loaded with (core/admin/concurrency.py: a stale save is
    # refused). db_default: rows written before the column existed get the migration's time.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_default=Now())

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="partnerships_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:event_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An event cannot end before it starts.")})


# The columns of a party's line in lists (``includes/agreement_card.html``) and of its point on
# an organisation page's map (``partnerships.maps.agreement_map(loaded=...)``): every language of
# the names, for modeltranslation's fallbacks.
PARTY_LINE_FIELDS = (
    "agreement",
    "organization",
    "role",
    "role_description",
    "position",
    *(
        f"organization__{field}"
        for field in (
            "slug",
            "is_archived",
            "region_id",
            "latitude",
            "longitude",
            "location_source",
        )
    ),
    *(f"organization__name_{code}" for code, _name in settings.LANGUAGES),
    "organization__name",
    *(f"organization__region__{field}" for field in ("slug", "kind", "parent_id")),
    *(f"organization__region__name_{code}" for code, _name in settings.LANGUAGES),
    "organization__region__name",
)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def published(self) -> Self:
        """Agreements the public may see: the one rule. Every other public rule (signing events,
        events, contacts, documents) is built on this one; :attr:`Agreement.is_public` is the
        same rule for one agreement already loaded."""
        return self.filter(publication=Agreement.Publication.PUBLISHED)

    def awaiting_approval(self, organization_ids: Iterable[int] | None = None) -> Self:
        """Agreements in review that still lack an approval of their current key terms from a
        party among ``organization_ids`` (``None``: from any party — what an administrator
        waits for). An approval counts only for the version it approved (``terms_version``)."""
        current = AgreementApproval.objects.filter(
            agreement=OuterRef("agreement"),
            organization=OuterRef("organization"),
            terms_version=OuterRef("agreement__terms_version"),
        )
        parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).filter(~Exists(current))
        if organization_ids is not None:
            parties = parties.filter(organization_id__in=list(organization_ids))
        return self.filter(Exists(parties), publication=Agreement.Publication.IN_REVIEW)

    def with_status(self, today: datetime.date | None = None) -> AgreementsWithStatus:
        """Annotate ``current_status`` (an ``Agreement.Status``) derived from the dates, in SQL.

        The same rules as :attr:`Agreement.status` (``partnerships/terms.py``), so that lists
        can filter and sort by it.
        """
        today = today or timezone.localdate()
        return self.annotate(current_status=terms.status_expression(today, Agreement.objects.all()))

    def with_term_end(self, today: datetime.date | None = None) -> Self:
        """Annotate ``term_end_on``: the end of the term current on ``today``, with automatic
        renewal (``terms.current_end_expression``), to sort by and show in lists."""
        return self.annotate(
            term_end_on=terms.current_end_expression(today or timezone.localdate())
        )

    def expiring_within(self, months: int, today: datetime.date | None = None) -> Self:
        """Concluded agreements, neither terminated nor superseded by ``today``, whose current
        term ends within ``months`` months from ``today`` (with automatic renewal: the next end
        of term). The one rule of the admin filter, the public list and the API.

        Bounded for the index: an agreement ends in the window either by its first end date
        (``end_date_expression``, indexed by ``partnerships_agr_end``) or, renewing
        automatically, by a later one (``partnerships_agr_renewing``, a short list)."""
        today = today or timezone.localdate()
        until = add_months(today, months)
        end = terms.end_date_expression()
        successor = Agreement.objects.filter(
            terms.replaces_predecessor_on(today), previous=OuterRef("pk")
        )
        first_term = Q(GreaterThanOrEqual(end, Value(today)), LessThanOrEqual(end, Value(until)))
        renewed_term = (
            Q(auto_renewal=True)
            & Q(LessThan(end, Value(today)))
            & Q(LessThanOrEqual(terms.current_end_expression(today), Value(until)))
        )
        return self.filter(
            first_term | renewed_term,
            ~Q(terminated_on__lte=today),
            ~Exists(successor),
            state=Agreement.State.CONCLUDED,
        )

    def with_end_date(self) -> Self:
        """Annotate ``end_date``: 'valid until', or counted from the term length
        (:attr:`Agreement.ends_on`, in SQL), for lists sorted or filtered by it."""
        return self.annotate(end_date=terms.end_date_expression())

    def for_listing(self) -> Self:
        return self.prefetch_related("parties__organization__region")

    def involving_regions(self, region_ids: Iterable[int]) -> Self:
        """Agreements with a party registered in one of ``region_ids`` (no duplicates); best a
        list such as ``Region.objects.subtree_id_list(region)``."""
        return self.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organization__region_id__in=region_ids
                )
            )
        )

    def involving_organization(self, organization: Organization) -> Self:
        return self.filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("pk"), organization=organization)
            )
        )

    def with_parties(self) -> Self:
        """Parties with their organisation and region in one prefetch query (list pages): what
        a party's line shows (the organisation's name and link, its region's name), not the
        organisations' wide rows (descriptions and search columns in every language). The
        regions' countries in one more query (``Region.country``): a card names each party's
        country ("Hardap, Namibia")."""
        return self.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organization__region").only(
                    *PARTY_LINE_FIELDS
                ),
            ),
            "parties__organization__region__country",
        )

    def for_detail(self) -> Self:
        """Everything the public agreement page shows, public items only, in a fixed number of
        queries: contacts and documents that are not public are filtered out here."""
        return self.select_related("previous").prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organization__region"),
            ),
            "cooperation_areas",
            "focus_areas",
            Prefetch(
                "signing_events",
                queryset=SigningEvent.objects.select_related("place", "occasion__region"),
            ),
            Prefetch(
                "signing_events__signatures",
                queryset=Signature.objects.select_related("person", "party__organization"),
            ),
            Prefetch(
                "signing_events__attendances",
                queryset=Attendance.objects.select_related("person", "organization"),
            ),
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("person", "organization"),
            ),
            Prefetch(
                "contacts",
                queryset=AgreementContact.objects.public().select_related(
                    "party__organization", "affiliation__person", "affiliation__organization"
                ),
                to_attr="public_contacts",
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.public(),
                to_attr="public_documents",
            ),
        )

    def published_signing_years(self) -> list[int]:
        """The years in which published agreements were signed, newest first: the agreement
        list's year choices.

        A "loose index scan" of ``partnerships_agr_list_newest`` (published agreements by
        ``signed_on``): one index probe per year (the latest date before the year found last)
        instead of reading every published agreement — bounded by the number of years.
        """
        from django.db import connection

        table = Agreement._meta.db_table
        published = Agreement.Publication.PUBLISHED.value
        sql = f"""
            WITH RECURSIVE years(year) AS (
                SELECT extract(year FROM max(signed_on))::int FROM {table}
                    WHERE publication = %s AND signed_on IS NOT NULL
                UNION ALL
                SELECT (
                    SELECT extract(year FROM max(signed_on))::int FROM {table}
                    WHERE publication = %s AND signed_on < make_date(years.year, 1, 1)
                ) FROM years WHERE years.year IS NOT NULL
            )
            SELECT year FROM years WHERE year IS NOT NULL
        """  # noqa: S608 - table name from _meta; values are query parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [published, published])
            return [row[0] for row in cursor.fetchall()]

    def lineage_ids(self, agreement: Agreement) -> list[int]:
        """Ids of every agreement in ``agreement``'s lineage, earlier and later, in one query."""
        from django.db import connection

        table = Agreement._meta.db_table
        sql = f"""
            WITH RECURSIVE lineage(id) AS (
                SELECT %s::bigint
                UNION
                SELECT edge.other_id FROM (
                    SELECT id AS from_id, previous_id AS other_id FROM {table}
                        WHERE previous_id IS NOT NULL
                    UNION ALL
                    SELECT previous_id, id FROM {table} WHERE previous_id IS NOT NULL
                ) edge
                JOIN lineage ON edge.from_id = lineage.id
            )
            SELECT id FROM lineage
        """  # noqa: S608 - table names come from _meta; values are query parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [agreement.pk])
            return [row[0] for row in cursor.fetchall()]


class Agreement(models.Model):
    """A cooperation agreement between two or more organisations."""

    # A title may exist only in its original language (core/languages.py); ``clean()``
    # reports it with the other errors.
    any_language_fields = ("title",)

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        FRAMEWORK = "framework", _("Framework agreement")
        RENEWAL = "renewal", _("Renewal / amendment")

    # The vocabulary of the dates and the status lives with their rules (partnerships/terms.py).
    State = terms.State
    Term = terms.Term
    Status = terms.Status
    Lineage = terms.Lineage

    class Publication(models.TextChoices):
        """Whether the public sees it: drafted, reviewed and approved by every party, published;
        a published agreement can be withdrawn, and a withdrawn one goes back to review."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(
        _("code"), max_length=50, blank=True, help_text=_("Your own reference, e.g. BIOM-OBHQ-2015")
    )
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    title = models.CharField(_("title"), max_length=300)
    # The title in the language the agreement was signed in, when that is none of the portal's
    # (an agreement signed in Italian): shown with its lang and "(in Italian)" beside the title.
    original_title = models.CharField(
        _("title in the signed language"),
        max_length=300,
        blank=True,
        db_default="",
        default="",
        help_text=_("Only when the agreement was signed in a language the portal does not offer."),
    )
    original_title_language = models.CharField(
        _("signed language"),
        max_length=5,
        blank=True,
        db_default="",
        default="",
        validators=[validate_iso639],
        help_text=_("ISO 639 code of the title in the signed language, e.g. it, zh."),
    )
    summary = models.TextField(_("summary"), blank=True)
    terms = models.TextField(_("terms"), blank=True, help_text=_("Key terms, as agreed"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=State.choices,
        default=State.DRAFT,
        help_text=_(
            "Draft until signed. Whether it is in force or expired follows from the dates."
        ),
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Leave empty if not known.")
    )
    effective_from = models.DateField(
        _("effective from"), null=True, blank=True, help_text=_("Empty: from the signing date.")
    )
    term = models.CharField(_("term"), max_length=12, choices=Term.choices, default=Term.UNSTATED)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Durations as the agreement states them: a number and its unit, shown as entered.
    term_length = models.PositiveSmallIntegerField(
        _("term length"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "As the agreement says, e.g. 5 years. Without a 'valid until' date, the end date "
            "is counted from the start."
        ),
    )
    term_length_unit = models.CharField(
        _("term length unit"),
        max_length=6,
        choices=[
            (DurationUnit.MONTHS, DurationUnit.MONTHS.label),
            (DurationUnit.YEARS, DurationUnit.YEARS.label),
        ],
        default=DurationUnit.YEARS,
        db_default=DurationUnit.YEARS,
    )
    notice_period = models.PositiveSmallIntegerField(
        _("notice period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("e.g. 6 months"),
    )
    notice_period_unit = models.CharField(
        _("notice period unit"),
        max_length=6,
        choices=[
            (DurationUnit.DAYS, DurationUnit.DAYS.label),
            (DurationUnit.WEEKS, DurationUnit.WEEKS.label),
            (DurationUnit.MONTHS, DurationUnit.MONTHS.label),
        ],
        default=DurationUnit.MONTHS,
        db_default=DurationUnit.MONTHS,
    )
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("builds on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text=_("The earlier agreement this one renews, amends or supersedes."),
    )
    lineage = models.CharField(
        _("relation to the earlier agreement"),
        max_length=12,
        choices=Lineage.choices,
        blank=True,
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="agreements"
    )
    authentic_languages = ArrayField(
        models.CharField(max_length=5, choices=LANGUAGE_CHOICES),
        verbose_name=_("authentic languages"),
        default=list,
        blank=True,
        help_text=_("Languages in which the text is authentic, e.g. en,ja"),
    )
    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_default=Publication.DRAFT,
        help_text=_(
            "Only published agreements are public. An agreement is published once every party "
            "has approved its key terms."
        ),
    )
    # The key terms (partnerships.approval.key_terms) as a digest, and a number bumped whenever
    # the digest changes (partnerships.services.agreement_refresh_terms_version): an approval
    # counts for the version it approved only.
    terms_version = models.PositiveIntegerField(
        _("version of the key terms"), default=1, db_default=1, editable=False
    )
    terms_digest = models.CharField(
        _("digest of the key terms"), max_length=64, blank=True, db_default="", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        # The id last: agreements signed the same day with the same (or no) title keep one order.
        ordering = [F("signed_on").desc(nulls_last=True), "title", "pk"]
        indexes = [
            # Site search (partnerships/search.py): code, titles, summaries, 3+ characters ...
            GinIndex(
                OpClass(AgreementDocument(languages=language_codes()), name="gin_trgm_ops"),
                name="partnerships_agr_doc_trgm",
            ),
            # ... and 1-2 character words and CJK bigrams (協定).
            GinIndex(
                SearchTerms(AgreementDocument(languages=language_codes())),
                name="partnerships_agr_terms_gin",
            ),
            # The public list, newest first (partnerships.forms.SORTS): counting it and choosing
            # a deep page's ids read this index only (core.pagination.DeferredJoin).
            # The titles ride along for the tie-break in the visitor's language.
            models.Index(
                F("signed_on").desc(nulls_last=True),
                F("id"),
                name="partnerships_agr_list_newest",
                condition=Q(publication="published"),
                include=list(language_fields("title")),
            ),
            # "Expiring within N months" (AgreementQuerySet.expiring_within: the admin filter,
            # the public list's ?expiring=, the API): the first end of term in a date range ...
            models.Index(
                F("state"),
                # ``terms.end_date_expression()``, spelled out as the migration states it.
                Coalesce(
                    F("valid_until"),
                    terms.TermEnd(
                        Coalesce(F("effective_from"), F("signed_on")),
                        Case(
                            When(term_length_unit="years", then=F("term_length") * 12),
                            default=F("term_length"),
                            output_field=models.IntegerField(),
                        ),
                    ),
                    output_field=models.DateField(),
                ),
                name="partnerships_agr_end",
            ),
            # ... or, renewing automatically, a later one: only these rows are computed.
            models.Index(
                fields=["state"], condition=Q(auto_renewal=True), name="partnerships_agr_renewing"
            ),
            # The sitemap (portal/sitemaps.py): a section page's first published agreement by id
            # (an index-only keyset step) and the section's <lastmod> (MAX from the index's end).
            models.Index(
                fields=["id"],
                name="partnerships_agr_published_id",
                condition=Q(publication="published"),
            ),
            models.Index(
                fields=["updated_at"],
                name="partnerships_agr_pub_updated",
                condition=Q(publication="published"),
            ),
            # The Atom feed: the latest recorded published agreements, read from the index's end
            # instead of sorting every published agreement.
            models.Index(
                fields=["created_at", "id"],
                name="partnerships_agr_pub_created",
                condition=Q(publication="published"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="partnerships_agreement_unique_code",
                # Code "unique" on a one-field constraint puts the message on the field.
                violation_error_code="unique",
                violation_error_message=_("Another agreement already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(valid_until__gte=F("effective_from")),
                name="partnerships_agreement_valid_until_after_effective_from",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(valid_until__gte=F("signed_on")),
                name="partnerships_agreement_valid_until_after_signing",
            ),
            models.CheckConstraint(
                condition=~Q(previous=F("pk")),
                name="partnerships_agreement_not_own_predecessor",
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True, lineage="")
                | Q(previous__isnull=False) & ~Q(lineage=""),
                name="partnerships_agreement_lineage_with_previous",
            ),
            models.CheckConstraint(
                condition=Q(term="fixed")
                & (Q(valid_until__isnull=False) | Q(term_length__isnull=False))
                | ~Q(term="fixed") & Q(valid_until__isnull=True, term_length__isnull=True),
                name="partnerships_agreement_fixed_term_has_end",
            ),
            models.CheckConstraint(
                condition=Q(state="concluded")
                | Q(signed_on__isnull=True, terminated_on__isnull=True),
                name="partnerships_agreement_draft_not_signed",
            ),
            models.CheckConstraint(
                condition=Q(state="concluded") | ~Q(publication="published"),
                name="partnerships_agreement_published_concluded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        """Whether :meth:`AgreementQuerySet.published` includes this agreement, without a query:
        the same rule, for an agreement already loaded (JSON-LD). Keep the two in step;
        ``tests/test_visibility.py`` checks that they agree."""
        return self.publication == self.Publication.PUBLISHED

    # The key terms that every party approves (partnerships/services.py): a change to any of
    # them after an approval resets it. Matched by name so that every language's column and every
    # field of the term and the notice period is included: titles, kind, dates, term, notice,
    # renewal, the text of the terms; parties, focus areas and cooperation areas (scope) below.
    KEY_TERM_PREFIXES = (
        "title_",
        "kind",
        "signed_on",
        "effective_from",
        "term",
        "valid_until",
        "notice",
        "auto_renewal",
    )

    def key_terms(self) -> dict[str, object]:
        """The key terms as saved, as JSON values: what an approval approves. Three queries
        (parties, focus areas, cooperation areas)."""
        from modeltranslation.translator import translator

        originals = set(translator.get_options_for_model(Agreement).fields)  # type: ignore[attr-defined]  # set by modeltranslation
        terms: dict[str, object] = {}
        for field in self._meta.concrete_fields:
            if field.name in originals or field.name in {
                "terminated_on",
                "terms_version",
                "terms_digest",
            }:
                continue
            if field.name.startswith(self.KEY_TERM_PREFIXES):
                value = field.value_from_object(self)
                if isinstance(value, datetime.date):
                    value = value.isoformat()
                # An empty translation is None or "" depending on the form that saved it.
                terms[field.name] = None if value == "" else value
        terms["parties"] = [
            [organization_id, role]
            for organization_id, role in self.parties.order_by("position", "pk").values_list(
                "organization_id", "role"
            )
        ]
        terms["focus_areas"] = sorted(self.focus_areas.values_list("pk", flat=True))
        terms["cooperation_areas"] = [
            [value or None for value in row]
            for row in self.cooperation_areas.values_list(*language_fields("description"))
        ]
        return terms

    # The dates and the status: the rules, and their twins in SQL, are in partnerships/terms.py.

    @property
    def starts_on(self) -> datetime.date | None:
        return terms.starts_on(self)

    @property
    def term_months(self) -> int | None:
        return terms.term_months(self)

    @property
    def term_end(self) -> datetime.date | None:
        return terms.term_end(self)

    @property
    def ends_on(self) -> datetime.date | None:
        """The last day the agreement is valid: 'valid until' if given, else :attr:`term_end`."""
        return terms.ends_on(self)

    @property
    def end_is_computed(self) -> bool:
        return self.valid_until is None and self.term_end is not None

    @property
    def term_length_display(self) -> str:
        """The term length as entered: "5 years"; empty if not stated."""
        if self.term_length is None:
            return ""
        return format_duration(self.term_length, self.term_length_unit)

    @property
    def notice_period_display(self) -> str:
        """The notice period as entered: "6 months"; empty if not stated."""
        if self.notice_period is None:
            return ""
        return format_duration(self.notice_period, self.notice_period_unit)

    def status_on(self, today: datetime.date) -> str:
        """The status on ``today``, from the state, the dates and the lineage."""
        return terms.status_on(self, today)

    @property
    def status(self) -> str:
        annotated = getattr(self, "current_status", None)
        return annotated or self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        # A str in the active language, as Django's own get_FOO_display() returns.
        return str(self.Status(self.status).label)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = missing_language_errors(self, self.any_language_fields)
        if self.valid_until and self.effective_from and self.valid_until < self.effective_from:
            errors.setdefault("valid_until", []).append(
                _("The agreement cannot end before it takes effect.")
            )
        if self.valid_until and self.signed_on and self.valid_until < self.signed_on:
            errors.setdefault("valid_until", []).append(
                _("The agreement cannot end before it was signed.")
            )
        if self.term == self.Term.FIXED and not self.valid_until and self.term_length is None:
            errors.setdefault("valid_until", []).append(
                _("A fixed-term agreement needs a 'valid until' date or a term length.")
            )
        if self.term != self.Term.FIXED and self.valid_until:
            errors.setdefault("term", []).append(
                _("An agreement with a 'valid until' date has a fixed term.")
            )
        elif self.term != self.Term.FIXED and self.term_length is not None:
            errors.setdefault("term", []).append(
                _("An agreement with a term length has a fixed term.")
            )
        if self.state == self.State.DRAFT and (self.signed_on or self.terminated_on):
            errors.setdefault("state", []).append(
                _("A draft has no signing or termination date: mark it as concluded.")
            )
        if self.state == self.State.DRAFT and self.publication == self.Publication.PUBLISHED:
            errors.setdefault("state", []).append(rules.ONLY_CONCLUDED_PUBLISHED)
        if self.previous_id and not self.lineage:
            errors.setdefault("lineage", []).append(
                _("Say whether this agreement renews, amends or supersedes the earlier one.")
            )
        if self.lineage and not self.previous_id:
            errors.setdefault("previous", []).append(
                _("Choose the earlier agreement this one %(relation)s.")
                % {"relation": self.get_lineage_display()}
            )
        if self.previous_id:
            if self.pk and self.previous_id == self.pk:
                errors.setdefault("previous", []).append(
                    _("An agreement cannot renew, amend or supersede itself.")
                )
            elif would_be_own_ancestor(self, "previous"):
                errors.setdefault("previous", []).append(
                    _(
                        "This would make the lineage circular: "
                        "the earlier agreement builds on this one."
                    )
                )
        if errors:
            raise ValidationError(errors)


class CooperationArea(AnyLanguageModelMixin, models.Model):
    """One item of the agreed scope of cooperation."""

    any_language_fields = ("description",)  # in one language, any (core/languages.py)

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="cooperation_areas",
    )
    description = models.TextField(_("description"))
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas (scope)")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner")
        COORDINATOR = "coordinator", _("Coordinator")
        SUPPORTER = "supporter", _("Supporter")
        WITNESS = "witness", _("Witness")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    role_description = models.CharField(
        _("role in words"),
        max_length=300,
        blank=True,
        help_text=_("e.g. cluster management organisation of the Munich biotech cluster"),
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="partnerships_agreementparty_unique_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class AgreementApproval(models.Model):
    """A party's approval of one version of an agreement's key terms, given by a manager of that
    party or by a portal administrator (``approved_by`` is empty for the demo loader's and other
    commands' approvals, which act as administrator). Approvals are never deleted when the terms
    change: they stay as the record of who approved what, and count only while their
    ``terms_version`` is the agreement's current one."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="approvals"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("for the party"),
        on_delete=models.PROTECT,
        related_name="agreement_approvals",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement_approvals",
    )
    as_administrator = models.BooleanField(
        _("as administrator"),
        default=False,
        help_text=_("Given by a portal administrator on the party's behalf."),
    )
    terms_version = models.PositiveIntegerField(_("version of the key terms"))
    key_terms = models.JSONField(_("key terms as approved"), default=dict)
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-approved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization", "terms_version"],
                name="partnerships_agreementapproval_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return _("%(organization)s approved version %(version)s") % {
            "organization": self.organization,
            "version": self.terms_version,
        }


class SigningEventQuerySet(models.QuerySet["SigningEvent"]):
    def public(self) -> SigningEventQuerySet:
        """Signing events the public may see: those of published agreements."""
        return self.filter(agreement__in=Agreement.objects.published())

    def for_event_page(self) -> SigningEventQuerySet:
        # The parties' and signatories' organisations are shown by name (and linked by slug):
        # only those columns of the wide organisation rows are read.
        return self.select_related("agreement", "place").prefetch_related(
            Prefetch(
                "agreement__parties",
                queryset=AgreementParty.objects.select_related("organization").only(
                    "agreement_id", "organization__slug", "organization__name"
                ),
            ),
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("person", "party__organization").only(
                    "signing_event_id", "person", "party__organization__name"
                ),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "organization"),
            ),
        )


class SigningEvent(models.Model):
    """A signing of an agreement (the ceremony): when and where, and at which event if any.

    Called "signing" (plural "signings") in the admin and on the pages; the conference or trade
    fair it was held at is an :class:`Event` ("held at (event)")."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="signing_events",
    )
    signed_on = models.DateField(_("date"))
    place = models.ForeignKey(
        Region,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_events",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    occasion = models.ForeignKey(
        Event,
        verbose_name=_("held at (event)"),
        null=True,
        blank=True,
        help_text=_("The conference, trade fair or other event at which it was signed, if any."),
        on_delete=models.PROTECT,
        related_name="signing_events",
    )
    description = models.TextField(_("description"), blank=True)

    objects = SigningEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("signing")
        verbose_name_plural = _("signings")
        ordering = ["signed_on", "pk"]
        indexes = [
            # The latest signings (the calendar feed, the events page's other signings): read
            # backwards, stopping after the few needed instead of sorting every signing.
            models.Index(fields=["signed_on", "id"], name="partnerships_se_newest"),
        ]

    def __str__(self) -> str:
        where = self.occasion or self.place
        return f"{self.signed_on:%Y-%m-%d}" + (f", {where}" if where else "")

    def clean(self) -> None:
        super().clean()
        occasion = self.occasion if self.occasion_id else None
        if (
            occasion
            and self.signed_on
            and not (occasion.starts_on <= self.signed_on <= occasion.ends_on)
        ):
            raise ValidationError(
                {
                    "signed_on": _(
                        "The signing date is outside the dates of %(event)s (%(start)s – %(end)s)."
                    )
                    % {"event": occasion, "start": occasion.starts_on, "end": occasion.ends_on}
                }
            )


class Signature(models.Model):
    """A person who signed, on behalf of one party of the agreement."""

    signing_event = models.ForeignKey(
        SigningEvent,
        verbose_name=_("signing"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("signatory"), on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    capacity = models.CharField(
        _("capacity"), max_length=200, blank=True, help_text=_("e.g. President, CEO")
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signing_event", "person"],
                name="partnerships_signature_unique_person_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.party.organization}"

    def clean(self) -> None:
        super().clean()
        if (
            self.signing_event_id
            and self.party_id
            and self.party.agreement_id != self.signing_event.agreement_id
        ):
            raise ValidationError(
                {"party": _("The signatory must sign on behalf of a party of this agreement.")}
            )
        if (
            self.signing_event_id
            and self.person_id
            and Attendance.objects.filter(
                signing_event_id=self.signing_event_id, person_id=self.person_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "person": _(
                        "This person is recorded as attending this signing: "
                        "remove the attendance to record them as a signatory."
                    )
                }
            )


class Attendance(models.Model):
    """Dignitaries and guests present at a signing, who did not sign."""

    signing_event = models.ForeignKey(
        SigningEvent,
        verbose_name=_("signing"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    capacity = models.CharField(
        _("capacity"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Bavarian State Secretary for Economic Affairs"),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("representing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    is_dignitary = models.BooleanField(_("dignitary"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance (dignitaries and guests)")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signing_event", "person"],
                name="partnerships_attendance_unique_person_per_event",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        super().clean()
        if (
            self.signing_event_id
            and self.person_id
            and Signature.objects.filter(
                signing_event_id=self.signing_event_id, person_id=self.person_id
            ).exists()
        ):
            raise ValidationError({"person": rules.SIGNATORY_ATTENDING})


class Statement(AnyLanguageModelMixin, models.Model):
    """A quote by a person about the agreement."""

    # A quote may exist only in the language it was said in (core/languages.py).
    any_language_fields = ("text",)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="statements"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="statements"
    )
    capacity = models.CharField(
        _("capacity"), max_length=300, blank=True, help_text=_("As given with the quote")
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    # blank: a quote kept only in its original language (original_text) has no translation;
    # clean() asks for one or the other.
    text = models.TextField(_("quote"), blank=True)
    # Any ISO 639 language (fr, it, zh, ...), not only the portal's: core.languages.original_text.
    original_language = models.CharField(
        _("original language"),
        max_length=5,
        default="en",
        validators=[validate_iso639],
        help_text=_("ISO 639 code of the language the quote was said in, e.g. en, fr, it, zh."),
    )
    original_text = models.TextField(
        _("quote in its original language"),
        blank=True,
        db_default="",
        default="",
        help_text=_(
            "When the original language is not one of the portal's (e.g. Italian): the quote as "
            "said. In one of the portal's languages, give it in that language's field instead."
        ),
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {(self.text or self.original_text)[:60]}"

    def clean(self) -> None:
        # A quote kept only in its original language (not one of the portal's) needs no
        # translation; otherwise the text in at least one language (AnyLanguageModelMixin).
        if (self.original_text or "").strip():
            models.Model.clean(self)
        else:
            super().clean()
        if self.original_language in language_codes() and (self.original_text or "").strip():
            raise ValidationError(
                {
                    "original_text": _(
                        "The original language is one of the portal's: give the quote in its "
                        "own field (%(language)s)."
                    )
                    % {"language": in_language_note(self.original_language)}
                }
            )


class AgreementContactQuerySet(models.QuerySet["AgreementContact"]):
    def public(self) -> AgreementContactQuerySet:
        """Contacts the public may see: a publishable contact point (public and current) for a
        published agreement."""
        return self.filter(
            agreement__in=Agreement.objects.published(),
            affiliation__in=Affiliation.objects.publishable(),
        )


class AgreementContact(models.Model):
    """Who to contact about the agreement, for one party."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="contacts"
    )
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("for party"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    affiliation = models.ForeignKey(
        Affiliation,
        verbose_name=_("contact point"),
        on_delete=models.PROTECT,
        related_name="agreement_contacts",
        help_text=_("The person and position; its visibility decides whether it is public."),
    )

    objects = AgreementContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement contact")
        verbose_name_plural = _("agreement contacts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "affiliation"],
                name="partnerships_agreementcontact_unique_affiliation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.affiliation)

    def clean(self) -> None:
        super().clean()
        if self.agreement_id and self.party_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError({"party": _("Choose a party of this agreement.")})


class DocumentQuerySet(models.QuerySet["Document"]):
    def public(self) -> DocumentQuerySet:
        """Documents the public may see: marked public (never while one party's proposal waits
        for the others), of a published agreement."""
        return self.filter(
            is_public=True,
            proposed_by__isnull=True,
            agreement__in=Agreement.objects.published(),
        )


class Document(AnyLanguageModelMixin, models.Model):
    """The agreement text, a press release or any other source, as a link or an uploaded file."""

    any_language_fields = ("title",)  # in one language, any (core/languages.py)

    class Kind(models.TextChoices):
        AGREEMENT_TEXT = "agreement_text", _("Agreement text")
        PRESS_RELEASE = "press_release", _("Press release")
        ANNEX = "annex", _("Annex")
        OTHER = "other", _("Other source")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Stored under a random name (partnerships/uploads.py), checked by content, and sent only
    # through the document views, never from /media/.
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        validators=[validate_document_file],
        blank=True,
        help_text=_(
            "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG or WebP; it is stored under a random "
            "name and offered for download under its own."
        ),
    )
    original_name = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
        db_default="",  # a database default: adding the column rewrites no table
        editable=False,
        help_text=_("The name the uploaded file had: the name it is downloaded under."),
    )
    text = models.TextField(
        _("full text"), blank=True, help_text=_("The source text itself, kept verbatim")
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "On a published agreement, a document one party adds or changes stays partners-only "
            "until another party's manager or an administrator marks it public."
        ),
    )
    # The party whose manager added (or changed) the document on the published agreement: it
    # waits for another party's manager or an administrator to mark it public
    # (partnerships.access.document_publicity). Empty once released, and for everything else.
    proposed_by = models.ForeignKey(
        Organization,
        verbose_name=_("waiting for the other parties; added by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        # No index: nothing looks documents up by it (and adding one would lock the table); an
        # organisation is deleted rarely, and its documents are found by a scan then.
        db_index=False,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document or source")
        verbose_name_plural = _("documents and sources")
        ordering = ["published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file="") | ~Q(text=""),
                name="partnerships_document_has_content",
                # No single field is to blame, so the constraint itself gives the message
                # (a clean() check as well would show it twice).
                violation_error_message=_("Give a link, upload a file or paste the text."),
            ),
            # A document one party proposed is not public until another party releases it.
            models.CheckConstraint(
                condition=Q(proposed_by__isnull=True) | Q(is_public=False),
                name="partnerships_document_proposed_not_public",
                violation_error_message=rules.DOCUMENT_AWAITS_ANOTHER_PARTY,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A new upload (not yet stored) still has the name it came with: keep it for downloads.
        if self.file and not getattr(self.file, "_committed", True):
            self.original_name = PurePath(self.file.name or "").name[
                : Document._meta.get_field("original_name").max_length
            ]

    @property
    def download_name(self) -> str:
        """The name the file is offered under: its original one, or the stored one's last part."""
        return self.original_name or PurePath(self.file.name or "").name

    def get_file_url(self) -> str:
        """The public download of the uploaded file (answers 404 unless the document is public)."""
        return reverse("partnerships:document_file", kwargs={"pk": self.pk})


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def active(self) -> CalendarTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarToken(models.Model):
    """A private link to an organisation's deadlines calendar (``partnerships/deadlines_ics.py``)
    for one of its managers: anyone with the link reads the calendar, so it can be revoked, and
    it stops working once the user no longer manages the organisation. Only a digest of the
    token is stored (:func:`partnerships.services.calendar_token_renew` shows the link once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    token_digest = models.CharField(_("digest of the token"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        ordering = ["organization", "user", "-created_at"]
        constraints = [
            # The feed finds its token by digest (deadlines_ics.py).
            models.UniqueConstraint(
                fields=["token_digest"], name="partnerships_calendartoken_unique_digest"
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(revoked_at__isnull=True),
                name="partnerships_calendartoken_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization}"


class Reminder(models.Model):
    """One renewal reminder to one person: "the notice deadline of this agreement is in three
    months". Written by ``partnerships/reminders.py`` *before* the e-mail is sent (the claim),
    then marked sent or failed: the unique constraint lets each reminder be claimed — and so
    sent — once only, whatever crashes or runs in parallel. Never edited in the admin."""

    class Kind(models.TextChoices):
        NOTICE_DEADLINE = "notice_deadline", _("Last day for notice")
        END_OF_TERM = "end_of_term", _("Term ends")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending (not confirmed)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (tried again on the next run)")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("deadline"), max_length=20, choices=Kind.choices)
    deadline = models.DateField(_("date of the deadline"))
    lead_months = models.PositiveSmallIntegerField(
        _("months before"), help_text=_("The lead time: how many months before the deadline.")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,  # the record stays, with the address it went to
        null=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    error = models.TextField(_("error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The run that claimed (or last retried) the reminder: it reads back its own rows.
    run = models.UUIDField(_("run"), editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at", "pk"]
        indexes = [
            # partnerships/reminders.py: a run reads back the rows it claimed.
            models.Index(fields=["run"], name="partnerships_reminder_run"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "deadline", "lead_months", "recipient"],
                name="partnerships_reminder_once_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s %(deadline)s, %(months)s months before: %(email)s") % {
            "kind": self.get_kind_display(),
            "deadline": self.deadline.isoformat(),
            "months": self.lead_months,
            "email": self.email,
        }


class AgreementComment(models.Model):
    """A note between the parties on one version of an agreement's key terms: the questions
    partners ask each other before they approve (``partnerships/comments.py``). Written by a
    manager of a party (for that party) or an administrator; the other parties' managers are
    told by e-mail. Never edited: a thread is a record of what was asked and answered."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="comments"
    )
    terms_version = models.PositiveIntegerField(_("version of the key terms"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("for the party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for an administrator who manages none of the parties."),
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            # partnerships/admin/comments.py: an agreement's thread, in order.
            models.Index(fields=["agreement", "created_at"], name="partnerships_comment_thread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__regex=r"\S"), name="partnerships_agreementcomment_body_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return _("Comment on version %(version)s by %(author)s") % {
            "version": self.terms_version,
            "author": self.author,
        }

    def clean(self) -> None:
        if not self.body.strip():
            raise ValidationError({"body": _("Write a comment.")}, code="empty")


class AgreementNotice(models.Model):
    """One partners' notice to one person (``partnerships/notifications.py``): "Lyon approved …",
    "a comment from …". Recorded when the notice task runs, before anything is sent; the unique
    constraint on (occurrence, recipient) lets a step's notice be recorded — and so sent — once,
    whatever runs twice. Sent at once, or kept for the recipient's daily digest
    (``manage.py send_digests``) as their preference says. Never edited in the admin."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("In the daily digest")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the digest")
        SENDING = "sending", _("Sending (not confirmed)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    occurrence = models.UUIDField(_("step"), editable=False)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField(_("event"), max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,  # the record stays, with the address it went to
        null=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("partners' notice")
        verbose_name_plural = _("partners' notices")
        ordering = ["-created_at", "pk"]
        indexes = [
            # manage.py send_digests: the notices waiting for a digest.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(status="pending"),
                name="partnerships_notice_pending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "recipient"],
                name="partnerships_agreementnotice_once_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"


# --- The life of an agreement: commitments and activities (issue 21) ---------------------------


class Commitment(AnyLanguageModelMixin, models.Model):
    """What the parties promised: one item of the agreement's scope, in its own words, with the
    party or parties responsible (none named: all of them, jointly). Health and the renewal
    reminders count the commitments that saw an activity (``partnerships/health.py``)."""

    any_language_fields = ("text",)  # in one language, any (core/languages.py)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    cooperation_area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("scope item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The item of the agreed scope this commitment comes from."),
    )
    text = models.TextField(_("commitment"), help_text=_("In the agreement's words."))
    responsible_parties = models.ManyToManyField(
        AgreementParty,
        verbose_name=_("responsible parties"),
        blank=True,
        related_name="commitments",
        help_text=_("Leave empty when all parties are responsible jointly."),
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "position", "pk"]
        indexes = [
            # The API's and open data's modified_since (portal/api/activities.py).
            models.Index(fields=["updated_at", "id"], name="partnerships_commit_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation_area"],
                condition=Q(cooperation_area__isnull=False),
                name="partnerships_commitment_one_per_scope_item",
                violation_error_message=_("This scope item already has a commitment."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        super().clean()
        if (
            self.agreement_id
            and self.cooperation_area is not None
            and self.cooperation_area.agreement_id != self.agreement_id
        ):
            raise ValidationError({"cooperation_area": _("Choose a scope item of this agreement.")})


class ActivityQuerySet(models.QuerySet["Activity"]):
    def public(self) -> Self:
        """Activities the public may see: marked public, of a published agreement."""
        return self.filter(self.public_condition())

    def public_condition(self) -> Q:
        """:meth:`public` as a condition on the row, to combine with others (the managers'
        rule, ``partnerships/access.py``): not ``pk__in`` the public ones, a subquery of most of
        the table that PostgreSQL cannot hash in memory at 500,000 activities and so evaluated
        once per row (the manager's activity list counted for hours)."""
        return Q(
            visibility=Activity.Visibility.PUBLIC,
            agreement__in=Agreement.objects.published().values("pk"),
        )

    def latest_first(self) -> Self:
        return self.order_by("-starts_on", "-pk")


class Activity(AnyLanguageModelMixin, models.Model):
    """Something done under an agreement — a delegation visit, a joint booth, a webinar — with
    its results as numbers where they exist, its evidence and who may see it. Its parties are
    the ones involved: each party's managers edit the activities it takes part in (a shared one,
    either); an activity naming no party is the joint record (``partnerships/access.py``)."""

    any_language_fields = ("description",)  # in one language, any (core/languages.py)

    class Kind(models.TextChoices):
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        JOINT_EVENT = "joint_event", _("Joint event or booth")
        WEBINAR = "webinar", _("Webinar or seminar")
        MATCHMAKING = "matchmaking", _("Matchmaking meeting")
        EXCHANGE = "exchange", _("Staff or researcher exchange")
        COMPANY_INTRODUCED = "company_introduced", _("Company introduced to the partner region")
        JOINT_PROJECT = "joint_project", _("Joint project or application")
        INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTNERS = "partners", _("Partners only")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    starts_on = models.DateField(_("date"), help_text=_("The day it took place, or began."))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For a period: its last day.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    parties = models.ManyToManyField(
        AgreementParty,
        verbose_name=_("parties involved"),
        blank=True,
        related_name="activities",
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("commitments"),
        blank=True,
        related_name="activities",
        help_text=_("The commitments of the agreement this activity fulfils."),
    )
    description = models.TextField(_("description"))
    companies = models.PositiveIntegerField(_("companies taking part"), null=True, blank=True)
    meetings = models.PositiveIntegerField(_("meetings held"), null=True, blank=True)
    introductions = models.PositiveIntegerField(_("introductions made"), null=True, blank=True)
    projects = models.PositiveIntegerField(_("projects started"), null=True, blank=True)
    funding = models.DecimalField(
        _("funding obtained (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    # Checked like every upload (partnerships/uploads.py), stored under a random name.
    evidence_file = models.FileField(
        _("evidence (file)"),
        upload_to=document_upload_to,
        validators=[validate_document_file],
        blank=True,
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    # The results, in the order reports and the timeline show them.
    RESULT_FIELDS = ("companies", "meetings", "introductions", "projects", "funding")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            # The agreement page's timeline and the health rule (last activity, per year).
            models.Index(fields=["agreement", "starts_on"], name="partnerships_activity_agr"),
            # The API's and open data's modified_since (portal/api/activities.py).
            models.Index(fields=["updated_at", "id"], name="partnerships_activity_updated"),
            # The admin's list, newest first (the model's ordering), read in index order:
            # without it each page sorted every activity the user may see (500,000 at the
            # benchmark's size).
            models.Index(fields=["starts_on", "id"], name="partnerships_activity_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="partnerships_activity_ends_after_start",
                violation_error_message=_("The last day cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=Q(funding__isnull=True) | Q(funding__gte=0),
                name="partnerships_activity_funding_not_negative",
                violation_error_message=_("Funding cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.isoformat()} {self.get_kind_display()}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append(_("The last day cannot be before the first."))
        if self.funding is not None and self.funding < 0:
            errors.setdefault("funding", []).append(_("Funding cannot be negative."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.visibility == Activity.Visibility.PUBLIC and self.agreement.is_public

    def get_evidence_file_url(self) -> str:
        """The public download of the evidence file (404 unless the activity is public)."""
        return reverse("partnerships:activity_evidence", kwargs={"pk": self.pk})
