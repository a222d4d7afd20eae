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
    party in each of two regions."""

    kind: str  # "organization", "region", "pair"
    organization: Organization | None = None
    region: Region | None = None
    other: Region | None = None
    region_ids: tuple[int, ...] = ()
    other_ids: tuple[int, ...] = ()

    @classmethod
    def of_organization(cls, organization: Organization) -> Scope:
        return cls("organization", organization=organization)

    @classmethod
    def of_region(cls, region: Region, other: Region | None = None) -> Scope:
        ids = tuple(Region.objects.subtree_id_list(region))
        if other is None:
            return cls("region", region=region, region_ids=ids)
        other_ids = tuple(Region.objects.subtree_id_list(other))
        return cls("pair", region=region, other=other, region_ids=ids, other_ids=other_ids)

    @property
    def label(self) -> str:
        if self.organization is not None:
            return str(self.organization)
        if self.other is not None:
            return f"{self.region} ↔ {self.other}"
        return str(self.region)

    def agreements(self) -> AgreementQuerySet:
        published = Agreement.objects.published()
        if self.organization is not None:
            return published.involving_organization(self.organization)
        qs = published.involving_regions(self.region_ids)
        return qs.involving_regions(self.other_ids) if self.other_ids else qs

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

    partner_regions = list(
        AgreementParty.objects.filter(
            agreement__in=selections["in_force"][1].values("pk"),
        )
        .exclude(scope.own_parties())
        .values("organization__region__name")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "organization__region__name")
        .values_list("organization__region__name", "n")[:LIST_ROWS]
    )

    activities = Activity.objects.public().filter(
        agreement__in=scope.agreements().values("pk"),
        starts_on__gte=period.start,
        starts_on__lte=period.end,
    )
    labels = dict(Activity.Kind.choices)
    per_year_kind = {
        (str(row["year"]), row["kind"]): row["n"]
        for row in activities.order_by()
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
    }
    by_kind: dict[str, int] = {}
    for (_year, kind), n in per_year_kind.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    sums = activities.aggregate(**{name: Sum(name) for name in Activity.RESULT_FIELDS})
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
