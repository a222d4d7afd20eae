"""The agreements charts: signed per year, stacked by status (home and region pages)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear

from core.charts import ColumnChart, Series, column_chart

from .models import Agreement, AgreementQuerySet

# Bottom to top; drafts are never public, so never charted.
CHART_STATUSES = (
    Agreement.Status.IN_FORCE,
    Agreement.Status.SIGNED,
    Agreement.Status.SUPERSEDED,
    Agreement.Status.EXPIRED,
    Agreement.Status.TERMINATED,
)


def signed_per_year(agreements: AgreementQuerySet) -> dict[tuple[str, str], int]:
    """``{(year, status): count}`` for the agreements with a known signing date: one grouped
    query, whatever the number of agreements."""
    rows = (
        agreements.with_status()
        .filter(signed_on__isnull=False)
        .annotate(year=ExtractYear("signed_on"))
        .order_by()
        .values("year", "current_status")
        .annotate(count=Count("pk"))
    )
    return {(str(row["year"]), row["current_status"]): row["count"] for row in rows}


def signings_chart(values: dict[tuple[str, str], int]) -> ColumnChart | None:
    """The chart of counts from :func:`signed_per_year` (which may come from a cache: the
    labels are made here, in the request's language), every year from the first to the last
    (years without a signing included, so that the axis is true); None when nothing is dated."""
    if not values:
        return None
    years = [int(year) for year, _ in values]
    categories = [str(year) for year in range(min(years), max(years) + 1)]
    present = {status for _, status in values}
    series = [
        Series(str(status), str(status.label)) for status in CHART_STATUSES if status in present
    ]
    return column_chart(categories, series, values)
