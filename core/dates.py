"""Date ranges as people write them, per language, from Django's own date formats.

"2–4 November 2015", "30 October – 2 November 2015" (English); "2.–4. November 2015" (German);
"2015年11月2日〜4日" (Japanese). The shared part (year, month) is written once: languages that
write the year last shorten the start, those that write it first (``DATE_FORMAT`` starting with
``Y``) shorten the end. The dash is the language's range separator (core/typography.py;
Japanese uses a wave dash).
"""

from __future__ import annotations

import datetime
import re

from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.typography import typography

# A month in a format and what sticks to it: " F" (English), "n月" (Japanese).
_MONTH_RE = re.compile(r"\s*[FNMbnm][^\sjdYyDlSw]?")


def _time(day: datetime.date, fmt: str) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, fmt))


def date_range(start: datetime.date, end: datetime.date | None) -> SafeString:
    """``start`` to ``end`` as HTML (two ``<time>`` elements, one for a single day)."""
    full = get_format("DATE_FORMAT")
    if end is None or end == start:
        return _time(start, full)
    month_day = get_format("MONTH_DAY_FORMAT")
    year_first = full.lstrip().startswith("Y")
    if start.year != end.year:
        first, last = full, full
    elif start.month != end.month:
        first, last = (full, month_day) if year_first else (month_day, full)
    else:
        day = _MONTH_RE.sub("", month_day).strip()
        first, last = (full, day) if year_first else (day, full)
    # Within a month the start is a day ("2–4 November 2015"): the dash joins them unspaced.
    separator = typography().range_separator
    if start.month == end.month and start.year == end.year:
        separator = separator.strip()
    return format_html("{}{}{}", _time(start, first), separator, _time(end, last))
