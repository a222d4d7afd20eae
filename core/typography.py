"""Typography per language, in one place: how each language joins a list, quotes a text and
writes brackets and commas.

Japanese writes 、 between the items of a list and full-width （） around an aside ("会長（英語）");
German quotes „so“; French « ainsi » (with no-break spaces inside) and joins "A, B et C". A
language without rules of its own here writes as English does. The templates ask through
``portal_tags`` (``|join_list``, ``|quoted``, ``|parenthesized``); Python code calls these
functions with the language it writes in (default: the active one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

NBSP = "\u00a0"


@dataclass(frozen=True)
class Typography:
    """How one language writes lists, quotations and asides."""

    separator: str = ", "  # between the items of a list, before the last one too if no word
    last_separator: str = " and "  # before the last item of a list of three or more
    pair_separator: str = " and "  # between the two items of a list of two
    quotes: tuple[str, str] = ("“", "”")
    nested_quotes: tuple[str, str] = ("\u2018", "\u2019")
    parentheses: tuple[str, str] = ("(", ")")
    aside_space: str = " "  # before an aside in brackets: "Kishimoto (BioM)", "岸本（BioM）"
    comma: str = ", "  # between the parts of a caption ("Kishimoto, President, OBHQ")
    range_separator: str = " – "  # between the ends of a range of dates


ENGLISH = Typography()

# Keyed by language code; a language missing here writes as English does.
TYPOGRAPHY: dict[str, Typography] = {
    "de": Typography(
        last_separator=" und ",
        pair_separator=" und ",
        quotes=("„", "“"),
        nested_quotes=("\u201a", "\u2018"),
    ),
    "ja": Typography(
        separator="、",
        last_separator="、",
        pair_separator="、",
        quotes=("「", "」"),
        nested_quotes=("『", "』"),
        parentheses=("（", "）"),
        aside_space="",
        comma="、",
        range_separator="〜",
    ),
    "fr": Typography(
        last_separator=" et ",
        pair_separator=" et ",
        quotes=(f"«{NBSP}", f"{NBSP}»"),
        nested_quotes=("“", "”"),
    ),
}


def typography(language: str | None = None) -> Typography:
    """The rules of ``language`` (default: the active one; ``de-at`` counts as ``de``)."""
    code = (language or get_language() or "en")[:2]
    return TYPOGRAPHY.get(code, ENGLISH)


def join_list(items: Iterable[object], language: str | None = None) -> str:
    """``["A", "B", "C"]`` as the language lists them: "A, B and C", "A, B und C",
    "A, B et C", "A、B、C"; two items: "A and B", "A、B"."""
    words = [str(item) for item in items]
    rules = typography(language)
    if len(words) <= 1:
        return "".join(words)
    if len(words) == 2:
        return rules.pair_separator.join(words)
    return rules.separator.join(words[:-1]) + rules.last_separator + words[-1]


def join_list_html(items: Iterable[object], language: str | None = None) -> SafeString:
    """:func:`join_list` of items that may be HTML (escaped unless already safe)."""
    escaped = [
        item if isinstance(item, SafeData) else conditional_escape(str(item)) for item in items
    ]
    # The separators are plain text (no markup): escaping them changes nothing.
    return mark_safe(join_list(escaped, language))  # noqa: S308  # items escaped above


def quote(text: object, language: str | None = None, *, nested: bool = False) -> str:
    """``text`` in the language's quotation marks: “…” / „…“ / «…» / 「…」."""
    opening, closing = typography(language).nested_quotes if nested else typography(language).quotes
    return f"{opening}{text}{closing}"


def list_separator(position: int, length: int, language: str | None = None) -> str:
    """What follows item ``position`` (1-based) of a list of ``length`` items: the separator,
    the last one before the final item, "" after it — for templates that join in a loop
    (``{% list_separator forloop %}``)."""
    rules = typography(language)
    if position >= length:
        return ""
    if position == length - 1:
        return rules.pair_separator if length == 2 else rules.last_separator
    return rules.separator


def parenthesize(text: object, language: str | None = None) -> str:
    """``text`` in the language's brackets: "(in English)" / "（英語）"."""
    opening, closing = typography(language).parentheses
    return f"{opening}{text}{closing}"


def aside_parts(text: object, language: str | None = None) -> tuple[str, str]:
    """An aside after a word as (space before it, the text in brackets): (" ", "(BioM)") /
    ("", "（BioM）"); templates wrap the second part in markup of their own."""
    return typography(language).aside_space, parenthesize(text, language)


def aside(text: object, language: str | None = None) -> str:
    """An aside after a word: " (BioM)" / "（BioM）"."""
    space, bracketed = aside_parts(text, language)
    return space + bracketed
