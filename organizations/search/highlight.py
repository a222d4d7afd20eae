"""Highlighting: the parts of a text that match a query, found in Python.

The folding below must agree with the database normaliser (``organizations_search_normalize``
and ``organizations_search_clean``); tests/organizations/test_search_highlight.py compares the
two on a table of tricky inputs.
"""

from __future__ import annotations

import html
import unicodedata
from functools import lru_cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from organizations.search.query import CJK_RE, ParsedQuery

_SPECIAL_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"}
_GERMAN_FOLDS = {"ä": "ae", "ö": "oe", "ü": "ue"}


@lru_cache(maxsize=4096)
def _fold_char(char: str, german: bool) -> str:
    """Fold one character, or one character with the combining marks that follow it (``ｳﾞ``,
    ``u\u0308``): composed first (NFKC), as the database composes the whole text."""
    lower = unicodedata.normalize("NFKC", char).lower()
    if german and lower in _GERMAN_FOLDS:
        return _GERMAN_FOLDS[lower]
    if lower in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[lower]
    if CJK_RE.match(lower):
        return lower
    decomposed = unicodedata.normalize("NFKD", lower)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _clusters(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each character with the combining marks after it. A mark is whatever
    NFKC turns into a combining character: the half-width voiced mark ``ﾞ`` composes with the
    kana before it (``ｳﾞ`` → ``ヴ``), so it cannot be folded on its own."""
    bounds: list[tuple[int, int]] = []
    for position, char in enumerate(text):
        composed = unicodedata.normalize("NFKC", char)
        if bounds and composed and unicodedata.combining(composed[0]):
            bounds[-1] = (bounds[-1][0], position + 1)
        else:
            bounds.append((position, position + 1))
    return bounds


def _folded(text: str, german: bool) -> tuple[str, list[tuple[int, int]] | None]:
    """``text`` folded like the database does, and for each folded character the span of the
    source characters it comes from (None: the same index, for plain ASCII)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    index: list[tuple[int, int]] = []
    for start, end in _clusters(text):
        folded = _fold_char(text[start:end], german)
        out.append(folded)
        index.extend([(start, end)] * len(folded))
    return "".join(out), index


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table of :func:`_fold_char`, filled as characters are first seen."""

    def __init__(self, german: bool) -> None:
        super().__init__()
        self.german = german

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.german)
        return folded


_FOLD_TABLES = {False: _FoldTable(german=False), True: _FoldTable(german=True)}


def fold(text: str, *, german: bool = False) -> str:
    """``text`` normalised in Python as the database normalises it (NFKC, unaccented, lower
    case); ``german``: umlauts as ``ae``/``oe``/``ue`` (München → muenchen). For comparing many
    names outside the database (organizations/geocoding.py): the whole text is composed first,
    as the database does, then folded character by character through a table — five times
    faster than :func:`_folded`, which also keeps the spans for highlighting."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).translate(_FOLD_TABLES[german])


def match_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Character spans of ``text`` that match a token of ``query`` (accent-insensitive)."""
    if not text or query.is_empty:
        return []
    spans: list[tuple[int, int]] = []
    for german in (False, True) if not text.isascii() else (False,):
        folded, index = _folded(text, german)
        for token in query.tokens:
            if not token.text:
                continue
            start = folded.find(token.text)
            while start != -1:
                end = start + len(token.text)
                if index is None:
                    spans.append((start, end))
                else:
                    spans.append((index[start][0], index[end - 1][1]))
                start = folded.find(token.text, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: Any, query: ParsedQuery) -> SafeString:
    """``text`` HTML-escaped, with the parts matching ``query`` in ``<mark>``."""
    text = "" if text is None else str(text)
    parts: list[str] = []
    position = 0
    for start, end in match_spans(text, query):
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def snippet(text: Any, query: ParsedQuery, *, width: int = 160) -> SafeString:
    """A window of ``text`` around its first match (or its start), highlighted."""
    text = "" if text is None else " ".join(str(text).split())
    spans = match_spans(text, query)
    if len(text) <= width:
        return highlight(text, query)
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(text), start + width)
    piece = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(piece, query) + suffix)  # noqa: S308
