"""What the visitor typed: cleaned, cut into tokens, normalised by the database; and the
conditions (AND) that a normalised document and its terms must meet for those tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import Expression, F, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import Contains, GreaterThan

from organizations.functions import TEXT_ARRAY

MAX_QUERY_CHARS = 200  # longer input is cut: no name or phrase worth searching is longer
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 60
RESULT_CAP = 1000  # counting and ranking stop here; past it, results are listed by name

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RE = re.compile(f"[{CJK}]")
_PIECE_RE = re.compile(f"[{CJK}]+|[^\\W_{CJK}]+")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Token:
    text: str  # normalised by the database (unaccented, lower case, NFKC)
    cjk: bool

    @property
    def grams(self) -> list[str]:
        """The index terms of a CJK token: itself if 1–2 characters, else its bigrams."""
        if len(self.text) <= 2:
            return [self.text]
        return sorted({self.text[i : i + 2] for i in range(len(self.text) - 1)})


@dataclass(frozen=True)
class ParsedQuery:
    """What the visitor typed, cleaned for display, and its normalised tokens."""

    raw: str
    tokens: tuple[Token, ...] = ()
    corrected_from: str = ""  # the visitor's words when the tokens are a spelling correction

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def phrase(self) -> str:
        return " ".join(token.text for token in self.tokens)


def clean_input(value: Any, max_chars: int = MAX_QUERY_CHARS) -> str:
    """A GET parameter made safe to process: a string, no control characters (NUL), bounded."""
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL_RE.sub(" ", value[: max_chars * 4]).split())[:max_chars]


def _pieces(text: str) -> list[str]:
    """Word pieces of ``text``: runs of letters/digits, CJK runs kept apart from Latin ones."""
    seen: dict[str, None] = {}
    for piece in _PIECE_RE.findall(unicodedata.normalize("NFKC", text)):
        seen.setdefault(piece[:MAX_TOKEN_CHARS], None)
    return list(seen)[:MAX_TOKENS]


def normalize_many(values: list[str]) -> list[str]:
    """Normalise strings the way documents are normalised, in one database round trip."""
    if not values:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organizations_search_normalize(v) FROM unnest(%s::text[]) "
            "WITH ORDINALITY AS u(v, n) ORDER BY n",
            [values],
        )
        return [row[0] or "" for row in cursor.fetchall()]


def _tokens_from(normalised: list[str]) -> tuple[Token, ...]:
    tokens: dict[str, Token] = {}
    for text in normalised:
        for piece in _PIECE_RE.findall(text):
            tokens.setdefault(piece, Token(piece, bool(CJK_RE.search(piece))))
    return tuple(tokens.values())[:MAX_TOKENS]


def parse_query(value: Any) -> ParsedQuery:
    """Tokens of a search box value; at most one query (none for an empty or wordless value)."""
    raw = clean_input(value)
    pieces = _pieces(raw)
    return ParsedQuery(raw=raw, tokens=_tokens_from(normalize_many(pieces)))


def text_conditions(
    query: ParsedQuery,
    *,
    document: Expression | F,
    terms: Expression | F,
    recheck_terms: bool = False,
) -> list[Expression]:
    """Conditions (AND) for ``query`` on a normalised ``document`` and its ``terms``.

    ``recheck_terms``: the terms index covers more than ``document`` (a name checked against the
    terms of the whole record), so check the document too.
    """
    conditions: list[Expression] = []
    for token in query.tokens:
        if token.cjk:
            conditions.append(DataContains(terms, Value(token.grams, output_field=TEXT_ARRAY)))
            if len(token.text) > 2 or recheck_terms:
                conditions.append(GreaterThan(StrIndex(document, Value(token.text)), 0))
        elif len(token.text) < 3:
            conditions.append(DataContains(terms, Value([token.text], output_field=TEXT_ARRAY)))
            if recheck_terms:
                conditions.append(Contains(document, token.text))
        else:
            conditions.append(Contains(document, token.text))
    return conditions
