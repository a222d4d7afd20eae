"""organizations/search/highlight.py: <mark> around matches, and folding that agrees with the
database normaliser (organizations_search_normalize / organizations_search_clean)."""

import pytest
from django.db import connection

from organizations import search
from organizations.search.highlight import _folded

# Inputs whose folding is easy to get wrong: umlauts (ü → u, and ue for German), ß, capitals,
# accents, full-width letters and digits, half-width kana (with a separate voiced mark),
# katakana/hiragana, ligatures, mixed case, Turkish dotted İ, Nordic and Slavic letters.
TRICKY = [
    "München",
    "MÜNCHEN",
    "Ärzte",
    "Öl",
    "Straße",
    "STRASSE",
    "Café",
    "Émile",
    "ＡＢＣ１２３",
    "ｶﾀｶﾅ",
    "ｳﾞｨ",
    "カタカナ",
    "ひらがな",
    "大阪府",
    "ﬁnance",
    "Æsop",
    "œuvre",
    "MiXeD",
    "İstanbul",
    "Øresund",
    "Łódź",
    "Þór",
    "Đakovo",
    "Crème brûlée",
    "naïve",
]


def database(function: str, value: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [value])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("text", TRICKY)
def test_the_python_fold_is_the_database_normaliser(db, text):
    assert _folded(text, german=False)[0] == database("organizations_search_normalize", text)


@pytest.mark.parametrize("text", [t for t in TRICKY if " " not in t])
def test_the_german_fold_is_the_transliteration_the_database_adds(db, text):
    """organizations_search_clean adds ``ue`` spellings of words with umlauts (München →
    "munchen muenchen"): the highlighter's German fold must produce the second one."""
    plain, german = _folded(text, german=False)[0], _folded(text, german=True)[0]
    expected = plain if plain == german else f"{plain} {german}"
    assert database("organizations_search_clean", text) == expected


def test_highlight_marks_matches_regardless_of_accents_and_escapes_markup():
    query = search.ParsedQuery(
        raw="muenchen bio", tokens=(search.Token("muenchen", False), search.Token("bio", False))
    )
    html = search.highlight("München <b>BioM</b>", query)
    assert html == "<mark>München</mark> &lt;b&gt;<mark>Bio</mark>M&lt;/b&gt;"


def test_highlight_marks_japanese_substrings():
    query = search.ParsedQuery(raw="大阪", tokens=(search.Token("大阪", True),))
    assert search.highlight("大阪府", query) == "<mark>大阪</mark>府"


def test_snippet_shows_the_part_of_a_long_text_that_matches():
    query = search.ParsedQuery(raw="needle", tokens=(search.Token("needle", False),))
    text = "hay " * 100 + "needle" + " hay" * 100
    result = search.snippet(text, query, width=60)
    assert "<mark>needle</mark>" in result
    assert result.startswith("…")


def test_highlight_keeps_a_half_width_voiced_mark_with_its_kana():
    query = search.ParsedQuery(raw="ヴィ", tokens=(search.Token("ヴィ", True),))
    assert search.highlight("ｳﾞｨ東京", query) == "<mark>ｳﾞｨ</mark>東京"
