"""Typography per language (core/typography.py) and the template tags that use it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core import typography
from core.typography import NBSP

PARTNERS = ["BioM", "Osaka Bio Headquarters", "Senri Life Science Foundation"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "BioM, Osaka Bio Headquarters and Senri Life Science Foundation"),
        ("de", "BioM, Osaka Bio Headquarters und Senri Life Science Foundation"),
        ("fr", "BioM, Osaka Bio Headquarters et Senri Life Science Foundation"),
        ("ja", "BioM、Osaka Bio Headquarters、Senri Life Science Foundation"),
    ],
)
def test_a_list_of_three_is_joined_as_the_language_joins_it(language, expected):
    assert typography.join_list(PARTNERS, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "A and B"), ("de", "A und B"), ("fr", "A et B"), ("ja", "A、B")],
)
def test_a_list_of_two_has_no_comma(language, expected):
    assert typography.join_list(["A", "B"], language) == expected


def test_a_list_of_one_or_none_is_the_item_or_nothing():
    assert typography.join_list(["BioM"], "de") == "BioM"
    assert typography.join_list([], "ja") == ""


def test_a_language_without_rules_of_its_own_writes_as_english():
    assert typography.join_list(["A", "B", "C"], "it") == "A, B and C"
    assert typography.quote("x", "it") == "“x”"


def test_a_regional_variant_follows_its_language():
    assert typography.join_list(["A", "B"], "de-at") == "A und B"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "“Kooperation”"),
        ("de", "„Kooperation“"),
        ("fr", f"«{NBSP}Kooperation{NBSP}»"),
        ("ja", "「Kooperation」"),
    ],
)
def test_quotation_marks_per_language(language, expected):
    assert typography.quote("Kooperation", language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Kishimoto (BioM)"), ("de", "Kishimoto (BioM)"), ("ja", "Kishimoto（BioM）")],
)
def test_an_aside_uses_full_width_brackets_and_no_space_in_japanese(language, expected):
    assert "Kishimoto" + typography.aside("BioM", language) == expected


def test_the_active_language_is_the_default():
    with translation.override("ja"):
        assert typography.join_list(["A", "B", "C"]) == "A、B、C"
        assert typography.parenthesize("英語") == "（英語）"


def test_the_separator_after_each_item_of_a_loop():
    separators = [typography.list_separator(n, 3, "de") for n in (1, 2, 3)]
    assert separators == [", ", " und ", ""]
    assert typography.list_separator(1, 2, "en") == " and "


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load portal_tags %}" + source).render(Context(context))


def test_join_list_escapes_its_items_on_pages():
    assert render("{{ items|join_list }}", "en", items=["A & B", "C"]) == "A &amp; B and C"


def test_join_list_leaves_plain_text_alone_where_nothing_is_escaped():
    html = render(
        "{% autoescape off %}{{ items|join_list }}{% endautoescape %}", "de", items=["A & B", "C"]
    )
    assert html == "A & B und C"


def test_list_separator_joins_links_in_a_loop():
    html = render(
        "{% for x in items %}<a>{{ x }}</a>{% list_separator forloop %}{% endfor %}",
        "ja",
        items=["関西", "大阪", "京都"],
    )
    assert html == "<a>関西</a>、<a>大阪</a>、<a>京都</a>"


def test_quoted_escapes_and_quotes_in_the_page_language():
    assert render("{{ value|quoted }}", "de", value="<b>") == "„&lt;b&gt;“"


@pytest.mark.parametrize(("language", "expected"), [("ja", "〜"), ("en", " – ")])
def test_the_date_range_separator_is_a_wave_dash_in_japanese(language, expected):
    with translation.override(language):
        assert typography.typography().range_separator == expected


def test_aside_escapes_its_text():
    assert render("K{{ value|aside }}", "ja", value="<b>") == "K（&lt;b&gt;）"
