"""Charts drawn on the server as inline SVG: the geometry here, the markup in
``templates/includes/chart_columns.html`` and ``chart_bars.html``.

No JavaScript and no third-party request; every chart comes with its numbers as a table (the
text alternative), so the chart is never the only way to the figures. The geometry is in
viewBox units: the SVG scales to its container and stays legible at 360 px.

Lives in the kernel so that every app's pages can use it (the import layers run
portal → partnerships → organizations → core).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

# viewBox of the column chart: plot area inside margins for the axis labels.
COLUMN_WIDTH, COLUMN_HEIGHT = 640, 260
COLUMN_MARGIN = {"top": 12, "right": 8, "bottom": 28, "left": 40}
# Horizontal bars: one row per item.
BAR_WIDTH, BAR_ROW, BAR_LABEL = 640, 26, 200


@dataclasses.dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclasses.dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclasses.dataclass(frozen=True)
class Column:
    label: str
    total: int
    segments: tuple[Segment, ...]
    label_x: float
    values: tuple[int, ...]  # per series, in the order of ColumnChart.series (for the table)


@dataclasses.dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclasses.dataclass(frozen=True)
class ColumnChart:
    """Stacked columns: one per category (a year), one segment per series (a status)."""

    columns: tuple[Column, ...]
    series: tuple[Series, ...]
    ticks: tuple[Tick, ...]
    total: int
    width: int = COLUMN_WIDTH
    height: int = COLUMN_HEIGHT
    plot_left: int = COLUMN_MARGIN["left"]
    plot_right: int = COLUMN_WIDTH - COLUMN_MARGIN["right"]
    baseline: int = COLUMN_HEIGHT - COLUMN_MARGIN["bottom"]
    label_every: int = 1  # label every n-th column when there are many

    @property
    def first(self) -> str:
        return self.columns[0].label if self.columns else ""

    @property
    def last(self) -> str:
        return self.columns[-1].label if self.columns else ""


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str
    y: float
    width: float
    text_y: float
    lang: str = ""  # the label's language when it is not the page's (a fallback name)


@dataclasses.dataclass(frozen=True)
class BarChart:
    """Horizontal bars, largest first (organisations per country)."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = BAR_LABEL
    row: int = BAR_ROW


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^n) giving about ``ticks`` grid lines up to ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(1, int(factor * magnitude))
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    values: Mapping[tuple[str, str], int],
) -> ColumnChart:
    """Stacked columns for ``categories`` (in order) from ``values[(category, series key)]``."""
    series = tuple(series)
    totals = [sum(values.get((c, s.key), 0) for s in series) for c in categories]
    step = nice_step(max(totals, default=0))
    top = step * max(1, math.ceil(max(totals, default=0) / step))
    plot_left = COLUMN_MARGIN["left"]
    plot_width = COLUMN_WIDTH - plot_left - COLUMN_MARGIN["right"]
    plot_top = COLUMN_MARGIN["top"]
    baseline = COLUMN_HEIGHT - COLUMN_MARGIN["bottom"]
    plot_height = baseline - plot_top
    slot = plot_width / max(1, len(categories))
    bar_width = max(1.0, min(slot * 0.7, 48.0))  # a lone year is not a wall
    columns = []
    for index, (category, total) in enumerate(zip(categories, totals, strict=True)):
        x = plot_left + index * slot + (slot - bar_width) / 2
        y = float(baseline)
        segments = []
        for s in series:
            value = values.get((category, s.key), 0)
            if not value:
                continue
            height = plot_height * value / top
            y -= height
            segments.append(Segment(s, value, _r(x), _r(y), _r(bar_width), _r(height)))
        columns.append(
            Column(
                label=category,
                total=total,
                segments=tuple(segments),
                label_x=_r(x + bar_width / 2),
                values=tuple(values.get((category, s.key), 0) for s in series),
            )
        )
    ticks = tuple(
        Tick(value, _r(baseline - plot_height * value / top)) for value in range(0, top + 1, step)
    )
    # Year labels need about 36 units each; label every n-th column so they never overlap.
    label_every = max(1, math.ceil(36 / slot))
    return ColumnChart(
        columns=tuple(columns),
        series=series,
        ticks=ticks,
        total=sum(totals),
        label_every=label_every,
    )


def bar_chart(rows: Sequence[tuple[str, int, str]], langs: Sequence[str] = ()) -> BarChart:
    """Horizontal bars for ``(label, value, href)`` rows, in the order given; ``langs``: each
    label's language where it is not the page's ("" where it is)."""
    maximum = max((value for _, value, _ in rows), default=0) or 1
    # Room for the label on the left and the figure on the right of the longest bar.
    span = BAR_WIDTH - BAR_LABEL - 60
    bars = tuple(
        Bar(
            label=label,
            value=value,
            href=href,
            y=_r(index * BAR_ROW + 4),
            width=_r(max(1.0, span * value / maximum)),
            text_y=_r(index * BAR_ROW + BAR_ROW / 2 + 4),
            lang=langs[index] if index < len(langs) else "",
        )
        for index, (label, value, href) in enumerate(rows)
    )
    return BarChart(bars=bars, width=BAR_WIDTH, height=max(1, len(rows)) * BAR_ROW)


def _r(value: float) -> float:
    """One decimal: small markup, no visible difference."""
    return round(value, 1)
