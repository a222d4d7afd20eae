"""The funders' report as a PDF, drawn with reportlab (issue 21).

Why reportlab: a well-kept, pure-Python library (BSD licence, maintained since 2000) that writes
PDF itself — no browser, no outside service, no system library. Its platypus layer lays out
headings, paragraphs and tables across pages; its graphics layer draws the charts as vectors
(print quality at any size) from the same geometry as the page's SVG (``core/charts.py``). Text
in Japanese needs no font file: PDF viewers carry the standard Japanese CID fonts, and reportlab
names one (``HeiseiKakuGo-W5``) without embedding it. Latin text uses Helvetica (German needs
no more than Latin-1); a Latin report naming a Japanese organisation switches to the CID font.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.charts import ColumnChart
from partnerships.funders import FundersReport, tables
from partnerships.models import Activity

CID_FONT = "HeiseiKakuGo-W5"
SERIES_COLOURS = [
    "#2f7d4a",
    "#2f6db3",
    "#a86b00",
    "#767f8a",
    "#b23b3b",
    "#6b4fa0",
    "#0f7f86",
    "#8a5a2b",
    "#4a4a4a",
]

# The page's colours (static/css/portal.css): one per kind of activity, "in force" green.
COLOURS = {
    "in_force": SERIES_COLOURS[0],
    **{kind: SERIES_COLOURS[i] for i, kind in enumerate(Activity.Kind.values)},
}


def _colour(key: str) -> str:
    return COLOURS.get(key, SERIES_COLOURS[-1])


def _font(report: FundersReport, sheets: list) -> str:
    """Helvetica when every text of the report is Latin-1, else the Japanese CID font."""
    if (get_language() or "en")[:2] == "ja":
        return _cid()
    for _title, header, rows in sheets:
        for value in [*header, *(cell for row in rows for cell in row)]:
            if isinstance(value, str):
                try:
                    value.encode("latin-1")
                except UnicodeEncodeError:
                    return _cid()
    return "Helvetica"


def _cid() -> str:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return f"{value:,.0f}"
    return str(value)


def _chart(chart: ColumnChart, font: str, width: float) -> Drawing:
    """The column chart's geometry (viewBox units, y downwards) scaled into a drawing."""
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale + 14)
    top = chart.height * scale + 14

    def y(value: float) -> float:
        return top - value * scale

    for tick in chart.ticks:
        drawing.add(
            Line(
                chart.plot_left * scale,
                y(tick.y),
                chart.plot_right * scale,
                y(tick.y),
                strokeColor=colors.HexColor("#d0d5da"),
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                chart.plot_left * scale - 4,
                y(tick.y) - 3,
                str(tick.value),
                fontName=font,
                fontSize=7,
                textAnchor="end",
            )
        )
    for index, column in enumerate(chart.columns):
        for segment in column.segments:
            colour = _colour(segment.series.key)
            drawing.add(
                Rect(
                    segment.x * scale,
                    y(segment.y + segment.height),
                    segment.width * scale,
                    segment.height * scale,
                    fillColor=colors.HexColor(colour),
                    strokeColor=None,
                )
            )
        if index % chart.label_every == 0:
            drawing.add(
                String(
                    column.label_x * scale,
                    y(chart.baseline) - 10,
                    column.label,
                    fontName=font,
                    fontSize=7,
                    textAnchor="middle",
                )
            )
    return drawing


def _legend(chart: ColumnChart, styles: dict) -> Paragraph:
    items = [f'<font color="{_colour(s.key)}">■</font> {escape(s.label)}' for s in chart.series]
    return Paragraph(" &nbsp; ".join(items), styles["small"])


def render(report: FundersReport, public_url: str) -> bytes:
    sheets = tables(report)
    font = _font(report, sheets)
    base = getSampleStyleSheet()
    styles = {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=font, fontSize=18),
        "h2": ParagraphStyle("h", parent=base["Heading2"], fontName=font, fontSize=13),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=font, fontSize=9),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontName=font, fontSize=8),
    }
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{report.scope.label} — {report.period}",
        lang=(get_language() or "en")[:2],
    )
    width = A4[0] - 36 * mm
    story: list[Any] = [
        Paragraph(escape(f"{report.scope.label} — {report.period}"), styles["title"]),
        Paragraph(
            escape(_("Partnerships and their activities: a report from public records.")),
            styles["body"],
        ),
        Paragraph(escape(public_url), styles["small"]),
        Spacer(1, 6 * mm),
    ]
    for caption, chart in (
        (_("Agreements in force per year"), report.in_force_chart),
        (_("Public activities per year, by kind"), report.activities_chart),
    ):
        story += [Paragraph(escape(caption), styles["h2"]), _chart(chart, font, width)]
        if len(chart.series) > 1:
            story.append(_legend(chart, styles))
        story.append(Spacer(1, 4 * mm))
    for title, header, rows in sheets:
        story.append(Paragraph(escape(title), styles["h2"]))
        if not rows:
            story.append(Paragraph(escape(_("None.")), styles["body"]))
            continue
        data = [
            [Paragraph(escape(str(h)), styles["small"]) for h in header],
            *[[Paragraph(escape(_cell(v)), styles["small"]) for v in row] for row in rows],
        ]
        table = Table(
            data, repeatRows=1, hAlign="LEFT", colWidths=[width / len(header)] * len(header)
        )
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d0d5da")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
    document.build(story)
    return buffer.getvalue()
