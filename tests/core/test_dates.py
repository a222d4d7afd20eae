"""core/dates.py: date ranges as people write them, per language."""

import datetime
import re

import pytest
from django.utils import translation

from core.dates import date_range

NOV_2, NOV_4 = datetime.date(2015, 11, 2), datetime.date(2015, 11, 4)
OCT_30 = datetime.date(2015, 10, 30)
DEC_30, JAN_2 = datetime.date(2015, 12, 30), datetime.date(2016, 1, 2)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", NOV_2, NOV_4, "2–4 November 2015"),
        ("en", OCT_30, NOV_2, "30 October – 2 November 2015"),
        ("en", DEC_30, JAN_2, "30 December 2015 – 2 January 2016"),
        ("en", NOV_2, NOV_2, "2 November 2015"),
        ("de", NOV_2, NOV_4, "2.–4. November 2015"),
        ("de", OCT_30, NOV_2, "30. Oktober – 2. November 2015"),
        ("ja", NOV_2, NOV_4, "2015年11月2日〜4日"),
        ("ja", OCT_30, NOV_2, "2015年10月30日〜11月2日"),
    ],
)
def test_date_range_reads_naturally_in_each_language(language, start, end, expected):
    with translation.override(language):
        assert text(date_range(start, end)) == expected


def test_date_range_marks_both_dates_for_machines():
    with translation.override("en"):
        html = date_range(NOV_2, NOV_4)

    assert (
        html
        == '<time datetime="2015-11-02">2</time>–<time datetime="2015-11-04">4 November 2015</time>'
    )
