"""The report for funders and boards (issue 21): per organisation, per region (with its
sub-regions) or per region pair, for a year or a run of years — agreements in force, new,
renewed and ended; partner regions; activities by kind; results summed; the dormant ones; two
charts. Public data only (published agreements, public activities), so that its page has a
stable public URL a regional officer can cite; the same figures as a page, an XLSX workbook
(one sheet per table) and a PDF (``partnerships/report_pdf.py``), in the reader's language.

A fixed number of queries whatever the number of agreements: counts and sums are aggregates,
the lists are cut at :data:`LIST_ROWS` on the page (the downloads hold every row).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import ColumnChart, Series, column_chart
from core.lookups import AnyOf
from organizations.models import Organization, Region
from partnerships import health, terms
from partnerships.models import Activity, Agreement, AgreementParty, AgreementQuerySet

LIST_ROWS = 20
MAX_YEARS = 15
PERIOD = re.compile(r"^(?P<first>\d{4})(?:-(?P<last>\d{4}))?$")


@dataclass(frozen=True)
class Period:
    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """``2025`` or ``2021-2025`` (at most :data:`MAX_YEARS` years); None otherwise."""
        match = PERIOD.match(text)
        if not match:
            return None
        first = int(match["first"])
        last = int(match["last"] or first)
        if not (1900 <= first <= last <= 2200) or last - first >= MAX_YEARS:
            return None
        return cls(first, last)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.last, 12, 31)

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Scope:
    """Whose agreements: an organisation's, a region's (with its sub-regions), or those with a
    party in each of two regions.

    Their ids are read first, as a list (``agreement_ids``, one query through the parties'
    indexes): every figure of the report is then read by primary key. Given as nested
    semi-joins instead, each of the report's dozen statements read every party and agreement
    of the database (a country pair: 0.8 s for its counts alone at 100,000 organisations), and
    PostgreSQL planned nested loops over every party for minutes on freshly loaded tables."""

    kind: str  # "organization", "region", "pair"
    organization: Organization | None = None
    region: Region | None = None
    other: Region | None = None
    region_ids: tuple[int, ...] = ()
    other_ids: tuple[int, ...] = ()
    agreement_ids: tuple[int, ...] = ()

    @classmethod
    def of_organization(cls, organization: Organization) -> Scope:
        parties = AgreementParty.objects.filter(organization=organization)
        return cls("organization", organization=organization, agreement_ids=_published(parties))

    @classmethod
    def of_region(cls, region: Region, other: Region | None = None) -> Scope:
        ids = tuple(Region.objects.subtree_id_list(region))
        parties = AgreementParty.objects.filter(organization__region_id__in=ids)
        if other is None:
            return cls("region", region=region, region_ids=ids, agreement_ids=_published(parties))
        other_ids = tuple(Region.objects.subtree_id_list(other))
        in_other = AgreementParty.objects.filter(organization__region_id__in=other_ids)
        both = _published_ids(parties).intersection(_published_ids(in_other)).order_by()
        return cls(
            "pair",
            region=region,
            other=other,
            region_ids=ids,
            other_ids=other_ids,
            agreement_ids=tuple(sorted(both)),
        )

    @property
    def label(self) -> str:
        if self.organization is not None:
            return str(self.organization)
        if self.other is not None:
            return f"{self.region} ↔ {self.other}"
        return str(self.region)

    def agreements(self) -> AgreementQuerySet:
        """The scope's published agreements (by the ids read with the scope)."""
        return Agreement.objects.filter(AnyOf(F("pk"), self.agreement_ids))

    def own_parties(self) -> Q:
        """The parties that are the scope's own (the others are its partners)."""
        if self.organization is not None:
            return Q(organization=self.organization)
        return Q(organization__region_id__in=self.region_ids)

    def url(self, period: Period) -> str:
        if self.organization is not None:
            return reverse(
                "partnerships:organization_report",
                kwargs={"slug": self.organization.slug, "period": str(period)},
            )
        region = cast(Region, self.region)
        if self.other is not None:
            return reverse(
                "partnerships:region_pair_report",
                kwargs={
                    "slug": region.slug,
                    "other_slug": self.other.slug,
                    "period": str(period),
                },
            )
        return reverse(
            "partnerships:region_report", kwargs={"slug": region.slug, "period": str(period)}
        )


def _published_ids(parties: Any) -> Any:
    return (
        parties.filter(agreement__publication=Agreement.Publication.PUBLISHED)
        .order_by()
        .values_list("agreement_id", flat=True)
    )


def _published(parties: Any) -> tuple[int, ...]:
    """The ids of the published agreements of ``parties``, ascending (one query)."""
    return tuple(sorted(set(_published_ids(parties))))


@dataclass
class AgreementList:
    title: str
    count: int
    rows: list[Any] = field(default_factory=list)


@dataclass
class FundersReport:
    scope: Scope
    period: Period
    as_of: datetime.date
    in_force: AgreementList
    new: AgreementList
    renewed: AgreementList
    ended: AgreementList
    dormant: AgreementList
    partner_regions: list[tuple[str, int]]
    activities_by_kind: list[tuple[str, int]]
    results: list[tuple[str, int | Decimal]]
    in_force_chart: ColumnChart
    activities_chart: ColumnChart
    activity_count: int

    @property
    def lists(self) -> list[AgreementList]:
        return [self.in_force, self.new, self.renewed, self.ended, self.dormant]


def _start() -> Any:
    return terms.starts_on_expression()


def build(scope: Scope, period: Period, *, rows: int | None = LIST_ROWS) -> FundersReport:
    """The report of ``scope`` over ``period``: the lists cut at ``rows`` (None: every row)."""
    today = timezone.localdate()
    as_of = min(period.end, today)
    agreements = scope.agreements().annotate(start=_start(), end_date=terms.end_date_expression())
    concluded = agreements.filter(state=Agreement.State.CONCLUDED)

    def in_force_during(first: datetime.date, last: datetime.date) -> Q:
        # Until it ended, was terminated or replaced (the status rule, terms.py) by a published
        # renewal before ``first``; and once per partnership: a renewal of the scope's that
        # takes effect during the period counts, the agreement it replaces not (a renewal in
        # the middle of a year is one agreement in force that year, not two).
        def replacing(agreements: AgreementQuerySet) -> Any:
            return (
                agreements.filter(previous=OuterRef("pk"))
                .filter(terms.replaces_predecessor_on(last))  # renews or supersedes, concluded
                .annotate(successor_start=_start())
            )

        replaced_before = replacing(Agreement.objects.published()).filter(successor_start__lt=first)
        counted_instead = replacing(scope.agreements()).filter(successor_start__lte=last)
        return (
            ~Q(Exists(replaced_before))
            & ~Q(Exists(counted_instead))
            & Q(start__lte=last)
            # Renewing automatically, it stays in force term after term (as its status).
            & (Q(end_date__isnull=True) | Q(end_date__gte=first) | Q(auto_renewal=True))
            & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=first))
        )

    in_period = Q(start__gte=period.start, start__lte=period.end)
    selections = {
        "in_force": (
            _("Agreements in force"),
            concluded.filter(in_force_during(period.start, period.end)),
        ),
        "new": (_("New agreements"), concluded.filter(in_period, previous__isnull=True)),
        "renewed": (_("Renewed agreements"), concluded.filter(in_period, previous__isnull=False)),
        "ended": (
            _("Agreements ended"),
            concluded.filter(
                Q(end_date__gte=period.start, end_date__lte=period.end, auto_renewal=False)
                | Q(terminated_on__gte=period.start, terminated_on__lte=period.end)
            ),
        ),
    }
    # The counts in one query, the in-force count per year for the chart with them.
    counts = agreements.aggregate(
        **{
            key: Count("pk", filter=Q(pk__in=qs.values("pk")))
            for key, (_title, qs) in selections.items()
        },
        **{
            f"y{year}": Count(
                "pk",
                filter=Q(state=Agreement.State.CONCLUDED)
                & in_force_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            )
            for year in period.years
        },
    )
    lists = {
        key: AgreementList(title=str(title), count=counts[key], rows=_rows(qs, rows))
        for key, (title, qs) in selections.items()
    }
    dormant_qs = health.dormant(scope.agreements(), as_of, public_only=True)
    dormant_rows = _rows(dormant_qs, None if rows is None else rows + 1)
    dormant = AgreementList(
        title=str(_("Dormant agreements")),
        count=len(dormant_rows)
        if rows is None or len(dormant_rows) <= rows
        else dormant_qs.count(),
        rows=dormant_rows if rows is None else dormant_rows[:rows],
    )

    # The agreements in force, as a list first: given as a subquery (with its own subqueries per
    # agreement), PostgreSQL planned it once per party on freshly loaded tables (tests: minutes).
    in_force_ids = list(selections["in_force"][1].order_by().values_list("pk", flat=True))
    partner_regions = list(
        AgreementParty.objects.filter(AnyOf(F("agreement_id"), in_force_ids))
        .exclude(scope.own_parties())
        .values("organization__region__name")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "organization__region__name")
        .values_list("organization__region__name", "n")[:LIST_ROWS]
    )

    activities = Activity.objects.public().filter(
        AnyOf(F("agreement_id"), scope.agreement_ids),
        starts_on__gte=period.start,
        starts_on__lte=period.end,
    )
    labels = dict(Activity.Kind.choices)
    # Per year and kind, with the results summed (one pass over the activities).
    grouped: Any = (
        activities.order_by()
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in Activity.RESULT_FIELDS})
    )
    groups: list[dict[str, Any]] = list(grouped)
    per_year_kind = {(str(row["year"]), row["kind"]): row["n"] for row in groups}
    by_kind: dict[str, int] = {}
    for (_year, kind), n in per_year_kind.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    sums: dict[str, int | Decimal | None] = dict.fromkeys(Activity.RESULT_FIELDS)
    for row in groups:
        for name in Activity.RESULT_FIELDS:
            if row[name] is not None:
                sums[name] = (sums[name] or 0) + row[name]
    result_labels = {
        name: str(getattr(Activity._meta.get_field(name), "verbose_name", name))
        for name in Activity.RESULT_FIELDS
    }
    kinds_used = [kind for kind, _label in Activity.Kind.choices if kind in by_kind]
    return FundersReport(
        scope=scope,
        period=period,
        as_of=as_of,
        in_force=lists["in_force"],
        new=lists["new"],
        renewed=lists["renewed"],
        ended=lists["ended"],
        dormant=dormant,
        partner_regions=[(name or "—", n) for name, n in partner_regions],
        activities_by_kind=[(str(labels[kind]), by_kind[kind]) for kind in kinds_used],
        results=[(result_labels[name], sums[name] or 0) for name in Activity.RESULT_FIELDS],
        in_force_chart=column_chart(
            [str(year) for year in period.years],
            [Series("in_force", _("Agreements in force"))],
            {(str(year), "in_force"): counts[f"y{year}"] for year in period.years},
        ),
        activities_chart=column_chart(
            [str(year) for year in period.years],
            [Series(kind, str(labels[kind])) for kind in kinds_used],
            per_year_kind,
        ),
        activity_count=sum(by_kind.values()),
    )


def _rows(qs: Any, limit: int | None) -> list[Any]:
    if "start" not in qs.query.annotations:
        qs = qs.annotate(start=_start(), end_date=terms.end_date_expression())
    ordered = qs.with_parties().order_by(F("start").asc(nulls_last=True), "title", "pk")
    return list(ordered if limit is None else ordered[:limit])


def parties_of(agreement: Agreement) -> str:
    return ", ".join(str(party.organization) for party in agreement.parties.all())


def tables(report: FundersReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Every table of the report: (title, header, rows) — the XLSX sheets and the PDF's tables,
    with real dates and numbers."""
    agreement_header = [_("agreement"), _("parties"), _("start"), _("end")]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            _("Summary"),
            [_("figure"), _("value")],
            [
                [_("Report"), report.scope.label],
                [_("Period"), str(report.period)],
                *[[item.title, item.count] for item in report.lists],
                [_("Activities"), report.activity_count],
            ],
        )
    ]
    for item in report.lists:
        sheets.append(
            (
                item.title,
                agreement_header,
                [[row.title, parties_of(row), row.start, row.end_date] for row in item.rows],
            )
        )
    sheets.append(
        (
            _("Partner regions"),
            [_("region"), _("agreements")],
            [list(r) for r in report.partner_regions],
        )
    )
    sheets.append(
        (
            _("Activities by kind"),
            [_("kind"), _("activities")],
            [list(r) for r in report.activities_by_kind],
        )
    )
    sheets.append((_("Results"), [_("result"), _("total")], [list(r) for r in report.results]))
    return sheets
