"""What the public sees of the life of an agreement (issue 21): its public activities as a
timeline with the results summed per year, and the recent joint activities of an organisation
or of a region pair. Reads only: public activities (``Activity.objects.public()``), bounded.

Each function costs a fixed number of queries whatever the number of activities: the rows shown
(capped) and, for the timeline, the sums per year (one grouped query over the agreement's public
activities, which the ``partnerships_activity_agr`` index serves).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from partnerships.models import Activity, Agreement, AgreementParty

TIMELINE_SHOWN = 30  # the latest public activities on an agreement page
RECENT_SHOWN = 5  # the organisation and region-pair pages


@dataclass
class Year:
    year: int
    count: int = 0
    totals: dict[str, int | Decimal] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)


def _lines(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.order_by("-starts_on", "-pk")


def results_by_year(qs: QuerySet[Activity]) -> dict[int, tuple[int, dict[str, int | Decimal]]]:
    """Per year of ``qs``'s activities: how many, and each result summed (one query)."""
    rows: Any = (
        qs.order_by()
        .annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in Activity.RESULT_FIELDS})
    )
    return {
        row["year"]: (
            row["n"],
            {name: row[name] for name in Activity.RESULT_FIELDS if row[name] is not None},
        )
        for row in rows
    }


def agreement_timeline(agreement: Agreement) -> tuple[list[Year], int]:
    """The public activities of ``agreement`` by year, newest first, with the results summed per
    year, and how many there are in all (two queries). The sums count every public activity of
    a year, also those past the :data:`TIMELINE_SHOWN` listed."""
    public = Activity.objects.public().filter(agreement=agreement)
    sums = results_by_year(public)
    years = {
        year: Year(year=year, count=count, totals=totals) for year, (count, totals) in sums.items()
    }
    if not years:
        return [], 0
    for activity in _lines(public)[:TIMELINE_SHOWN]:
        years[activity.starts_on.year].activities.append(activity)
    ordered = [years[year] for year in sorted(years, reverse=True)]
    return ordered, sum(year.count for year in ordered)


def recent_for_organization(organization: Any) -> list[Activity]:
    """The latest public activities under the published agreements ``organization`` is party to
    (one query, with each activity's agreement)."""
    agreements = AgreementParty.objects.filter(organization=organization).values("agreement")
    return list(
        _lines(Activity.objects.public().filter(agreement__in=agreements)).select_related(
            "agreement"
        )[:RECENT_SHOWN]
    )


def recent_ids(agreement_ids: list[int]) -> tuple[int, ...]:
    """The ids of the latest public activities under ``agreement_ids``, in the order
    :func:`recent_by_ids` shows them (one query): kept in a cached summary (a region pair's)."""
    public = Activity.objects.public().filter(agreement_id__in=agreement_ids)
    return tuple(_lines(public).values_list("pk", flat=True)[:RECENT_SHOWN])


def recent_by_ids(activity_ids: tuple[int, ...]) -> list[Activity]:
    """The activities of ``activity_ids`` that are public now, newest first, each with its
    agreement (one query; none without ids)."""
    if not activity_ids:
        return []
    public = Activity.objects.public().filter(pk__in=activity_ids)
    return list(_lines(public).select_related("agreement"))
