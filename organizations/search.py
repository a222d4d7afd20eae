"""Search: the one place that turns what a visitor typed into database queries.

Used by the organisation list, the site-wide search and the region picker (and later the API).
PostgreSQL does the matching, with the functions, triggers and indexes of migration
``organizations/0002_search``:

* Every organisation carries a normalised ``search_document`` (names in every language, short and
  legal name, descriptions, focus areas, and the names and aliases of its region, the regions
  above it and the macro-regions that include them), ``search_names`` (``|name|short|legal|``)
  and ``search_terms`` (1–2 character words, CJK unigrams and bigrams). Triggers keep them right.
* Normalisation (NFKC, unaccent, lower case, German transliteration ü → ue) happens in SQL, in
  ``organizations_search_normalize``/``organizations_search_clean``, for documents and queries
  alike, so that both sides agree whatever the database locale.
* A query is split into tokens; every token must match (AND):

  - a Latin token of 3+ characters: ``document LIKE '%token%'``, served by a trigram GIN index;
  - a 1–2 character Latin token: the whole word, ``terms @> ARRAY[token]`` (GIN);
  - a CJK token (Japanese has no spaces): its bigrams, ``terms @> ARRAY['大阪', '阪府']`` (GIN),
    plus ``strpos(document, token) > 0`` for tokens longer than two characters.

* Ranking: the whole query equal to a name, then a name starting a word with it, then all tokens
  in the names, then everything else (descriptions, focus areas, regions); then by name.
* Broad terms (``cluster``) are capped: counting stops at ``RESULT_CAP``; past the cap results are
  the exact name matches followed by the rest in name order, which walks the name index instead
  of ranking every row.
* A query with no results is corrected word by word against the vocabulary of indexed words
  (``SearchWord``, trigram similarity on a small table): "Headquaters" → "headquarters".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf, StrIndex
from django.db.models.lookups import Contains, Exact, GreaterThan, StartsWith
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from organizations.models import Affiliation, Organization, Person, Region

MAX_QUERY_CHARS = 200  # longer input is cut: no name or phrase worth searching is longer
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 60
RESULT_CAP = 1000  # counting and ranking stop here; past it, results are listed by name

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RE = re.compile(f"[{_CJK}]")
_PIECE_RE = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f]")
_CODE_IN_LABEL_RE = re.compile(r"\(([\w-]{2,120})\)\s*$")

TEXT_ARRAY = ArrayField(TextField())
SEARCH_COLUMNS = ("search_names", "search_document", "search_terms")


# --- Parsing -------------------------------------------------------------------------------------


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
            tokens.setdefault(piece, Token(piece, bool(_CJK_RE.search(piece))))
    return tuple(tokens.values())[:MAX_TOKENS]


def parse_query(value: Any) -> ParsedQuery:
    """Tokens of a search box value; at most one query (none for an empty or wordless value)."""
    raw = clean_input(value)
    pieces = _pieces(raw)
    return ParsedQuery(raw=raw, tokens=_tokens_from(normalize_many(pieces)))


# --- Matching ------------------------------------------------------------------------------------


def _func(name: str, *args: Any, output_field: Any = None) -> Func:
    return Func(*args, function=name, output_field=output_field or TextField())


def text_conditions(
    query: ParsedQuery,
    *,
    document: Expression,
    terms: Expression,
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


def sort_name(language: str | None = None) -> Expression:
    """The organisation name to sort by in ``language``, falling back to English.

    Written exactly as the organizations_org_sort_* indexes of migration 0002_search.
    """
    language = (language or get_language() or "en")[:2]
    if language not in ("de", "ja"):
        return F("name_en")
    return Coalesce(
        NullIf(F(f"name_{language}"), Value(""), output_field=CharField()),
        F("name_en"),
        output_field=CharField(),
    )


def organization_names() -> Func:
    """The organisation's normalised names as an array; written exactly as the
    organizations_org_names_gin index of migration 0002_search."""
    return _func(
        "string_to_array",
        _func("btrim", F("search_names"), Value("|")),
        Value("|"),
        output_field=TEXT_ARRAY,
    )


def exact_name_condition(phrase: str) -> Expression:
    """One of the names (any language, short, legal) is exactly ``phrase`` (normalised)."""
    return DataContains(organization_names(), Value([phrase], output_field=TEXT_ARRAY))


def organization_rank(query: ParsedQuery) -> Case:
    """0: a name is the query; 1: a name has a word starting with it; 2: all tokens in the names;
    3: found elsewhere (description, focus area, region)."""
    names = F("search_names")
    phrase = query.phrase
    all_in_names = Q(*(Contains(names, token.text) for token in query.tokens))
    return Case(
        When(Contains(names, f"|{phrase}|"), then=Value(0)),
        When(Q(Contains(names, f"|{phrase}")) | Q(Contains(names, f" {phrase}")), then=Value(1)),
        When(all_in_names, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def organization_text_filter(queryset: QuerySet, query: ParsedQuery) -> QuerySet:
    if query.is_empty:
        return queryset
    return queryset.filter(
        *text_conditions(query, document=F("search_document"), terms=F("search_terms"))
    )


def suggest_corrections(query: ParsedQuery) -> ParsedQuery | None:
    """The query with misspelt words replaced by the nearest indexed words, or None.

    A word is corrected only when no indexed word contains it; the replacement is the most
    similar word of the vocabulary (pg_trgm similarity, served by a trigram index).
    """
    candidates = [t.text for t in query.tokens if not t.cjk and len(t.text) >= 4]
    if not candidates:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.token, (
                SELECT w.word FROM organizations_searchword w
                WHERE w.word %% t.token
                ORDER BY similarity(w.word, t.token) DESC, w.word LIMIT 1
            )
            FROM unnest(%s::text[]) AS t(token)
            WHERE NOT EXISTS (
                SELECT 1 FROM organizations_searchword w WHERE w.word LIKE '%%' || t.token || '%%'
            )
            """,
            [candidates],
        )
        replacements = {token: word for token, word in cursor.fetchall() if word}
    if not replacements:
        return None
    tokens = tuple(
        Token(replacements.get(t.text, t.text), t.cjk) if not t.cjk else t for t in query.tokens
    )
    raw = " ".join(t.text for t in tokens)
    return ParsedQuery(raw=raw, tokens=tokens, corrected_from=query.raw)


# --- Organisations -------------------------------------------------------------------------------


@dataclass
class OrganizationResults:
    """A sliceable, countable result list for ``Paginator``: ranked, capped for broad terms."""

    queryset: QuerySet  # filtered, not ordered
    query: ParsedQuery
    language: str
    _count: int | None = field(default=None, init=False)
    _exact_ids: list[int] | None = field(default=None, init=False)
    base: QuerySet | None = None  # the same filters without the text query
    _named_count: int | None = field(default=None, init=False)

    @property
    def total(self) -> int:
        """Matches, counted up to ``RESULT_CAP + 1`` when there is a text query."""
        if self._count is None:
            if self.query.is_empty:
                self._count = self.queryset.count()
            else:
                self._count = self.queryset.order_by().values("pk")[: RESULT_CAP + 1].count()
        return self._count

    @property
    def capped(self) -> bool:
        return not self.query.is_empty and self.total > RESULT_CAP

    def count(self) -> int:
        return min(self.total, RESULT_CAP) if not self.query.is_empty else self.total

    def __len__(self) -> int:
        return self.count()

    def _ordered(self) -> QuerySet:
        order = sort_name(self.language)
        if self.query.is_empty or self.capped:
            return self.queryset.order_by(order, "pk")
        return self.queryset.annotate(search_rank=organization_rank(self.query)).order_by(
            "search_rank", order, "pk"
        )

    def __getitem__(self, index: slice) -> list[Organization]:
        if not isinstance(index, slice):
            raise TypeError("OrganizationResults supports slices only")
        start, stop = index.start or 0, index.stop
        if not self.capped:
            rows = list(self._ordered()[start:stop])
        else:
            rows = self._capped_slice(start, stop)
        prefetch_related_objects(rows, "focus_areas")
        return rows

    def _named(self) -> QuerySet:
        """Matches with every token in their names. A name match of 3+ Latin characters implies
        the document match (the document contains the names), so that condition is left out:
        with both, the planner multiplies their selectivities and misjudges the row count."""
        if self.base is None:
            base, conditions = self.queryset, []
        else:
            base, conditions = self.base, []
            for token in self.query.tokens:
                if token.cjk or len(token.text) < 3:
                    single = ParsedQuery(raw=token.text, tokens=(token,))
                    conditions += text_conditions(
                        single, document=F("search_document"), terms=F("search_terms")
                    )
        names = [Contains(F("search_names"), token.text) for token in self.query.tokens]
        return base.filter(*conditions, *names)

    def _capped_slice(self, start: int, stop: int) -> list[Organization]:
        """Broad terms, in three tiers, each in name order so that a page walks the name index
        and stops, instead of ranking every match: exact name matches, then organisations with
        every word in their names, then the rest (descriptions, focus areas, regions)."""
        order = (sort_name(self.language), "pk")
        if self._exact_ids is None:
            # Few rows, found through the exact-name index; sorted here, because an ORDER BY
            # ... LIMIT would tempt the planner into walking the name index past every row.
            exact = self.queryset.filter(exact_name_condition(self.query.phrase))
            rows = exact.order_by().values_list("pk", order[0])[:RESULT_CAP]
            self._exact_ids = [pk for pk, _name in sorted(rows, key=lambda r: (r[1] or "", r[0]))]
        exact_ids = self._exact_ids
        in_names = Q(*(Contains(F("search_names"), token.text) for token in self.query.tokens))
        named = self._named()
        if exact_ids:
            named = named.exclude(pk__in=exact_ids)
        if self._named_count is None:
            self._named_count = named.order_by().values("pk")[: RESULT_CAP + 1].count()
        tiers: list[tuple[int, Any]] = [
            (len(exact_ids), exact_ids),
            (self._named_count, named.order_by(*order)),
            (RESULT_CAP, self.queryset.exclude(in_names).order_by(*order)),
        ]
        rows: list[Organization] = []
        offset, wanted = start, stop - start
        for size, source in tiers:
            if wanted <= 0:
                break
            if offset >= size:
                offset -= size
                continue
            take = min(wanted, size - offset)
            if isinstance(source, list):
                ids = source[offset : offset + take]
                by_id = {o.pk: o for o in self.queryset.filter(pk__in=ids)}
                rows += [by_id[pk] for pk in ids if pk in by_id]
            else:
                rows += list(source[offset : offset + take])
            offset, wanted = 0, wanted - take
        return rows


@dataclass
class OrganizationSearch:
    """Everything the organisation list needs to show a search."""

    query: ParsedQuery
    results: OrganizationResults
    region: Region | None = None
    region_input: str = ""
    region_suggestions: list[Region] = field(default_factory=list)


def search_organizations(
    *,
    q: Any = "",
    region: Any = "",
    focus_area_id: int | None = None,
    kind: str = "",
    language: str | None = None,
    queryset: QuerySet | None = None,
) -> OrganizationSearch:
    """Organisations matching a text query, a region (and below), a focus area and a kind."""
    language = (language or get_language() or "en")[:2]
    query = parse_query(q)
    organizations = queryset if queryset is not None else Organization.objects.all()
    # The search columns are for the database only: do not fetch them for display.
    organizations = organizations.select_related("region", "region__parent").defer(*SEARCH_COLUMNS)
    region_input = clean_input(region)
    resolved, suggestions = resolve_region(region_input) if region_input else (None, [])
    if resolved is not None:
        organizations = organizations.filter(region_id__in=Region.objects.subtree_ids(resolved))
    elif region_input:
        organizations = organizations.none()
    if focus_area_id is not None:
        organizations = organizations.filter(focus_areas=focus_area_id)
    if kind:
        organizations = organizations.filter(kind=kind)
    results = OrganizationResults(
        organization_text_filter(organizations, query), query, language, base=organizations
    )
    searchable = resolved is not None or not region_input
    if searchable and not query.is_empty and results.total == 0:
        corrected = suggest_corrections(query)
        if corrected is not None:
            query = corrected
            results = OrganizationResults(
                organization_text_filter(organizations, corrected),
                corrected,
                language,
                base=organizations,
            )
    return OrganizationSearch(
        query=query,
        results=results,
        region=resolved,
        region_input=region_input,
        region_suggestions=suggestions,
    )


# --- Regions -------------------------------------------------------------------------------------


def region_document() -> Func:
    """Written exactly as the organizations_region_* indexes of migration 0002_search."""
    return _func(
        "organizations_region_document",
        F("name_en"),
        F("name_de"),
        F("name_ja"),
        F("aliases"),
        F("iso_code"),
    )


def region_terms() -> Func:
    return _func("organizations_search_terms", region_document(), output_field=TEXT_ARRAY)


_REGION_KIND_ORDER = Case(
    When(kind=Region.Kind.COUNTRY, then=Value(0)),
    When(kind=Region.Kind.SUBDIVISION, then=Value(1)),
    When(kind=Region.Kind.MACRO_REGION, then=Value(2)),
    When(kind=Region.Kind.DISTRICT, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def suggest_regions(text: Any, *, limit: int = 10) -> list[Region]:
    """Regions whose names (any language), aliases or ISO code match ``text``, best first."""
    query = parse_query(text)
    if query.is_empty:
        return []
    return _regions_matching(query, limit)


def _regions_matching(query: ParsedQuery, limit: int) -> list[Region]:
    """Regions matching ``query``, annotated with ``search_rank`` (0: the name in the current
    language is the query; 1: a name or alias is the query; 2: a word starts with it; 3: other)
    and ``kind_order`` (countries first)."""
    document = region_document()
    phrase = query.phrase
    padded = _func("concat", Value(" "), document, Value(" "))
    own_name = _func(
        "organizations_search_clean",
        Coalesce(NullIf(F(f"name_{_language()}"), Value("")), F("name_en")),
    )
    regions = (
        Region.objects.filter(*text_conditions(query, document=document, terms=region_terms()))
        .annotate(
            search_rank=Case(
                When(
                    Q(Exact(own_name, phrase)) | Q(StartsWith(own_name, f"{phrase} ")),
                    then=Value(0),
                ),
                When(Contains(padded, f" {phrase} "), then=Value(1)),
                When(Contains(padded, f" {phrase}"), then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            kind_order=_REGION_KIND_ORDER,
        )
        .select_related("parent")
    )
    return list(regions.order_by("search_rank", "kind_order", "name_en", "pk")[:limit])


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("en", "de", "ja") else "en"


def resolve_region(value: str) -> tuple[Region | None, list[Region]]:
    """The region a visitor means by ``value``, or None and suggestions.

    Accepts a slug (``bavaria``), an ISO code (``DE-BY``, any case), a picker label ending in
    the slug or code in parentheses (``Bavaria (DE-BY)``), or a name or alias in any language
    (``Bayern``) when it is unambiguous.
    """
    value = clean_input(value)
    if not value:
        return None, []
    keys = {value, value.lower(), value.upper()}
    label = _CODE_IN_LABEL_RE.search(value)
    if label:
        keys |= {label.group(1), label.group(1).lower(), label.group(1).upper()}
    direct = list(Region.objects.filter(Q(slug__in=keys) | Q(iso_code__in=keys)).order_by("pk"))
    if direct:
        # A slug typed exactly wins over a code that happens to match another region.
        direct.sort(key=lambda r: (r.slug != value and r.iso_code != value.upper(), r.pk))
        return direct[0], []
    query = parse_query(value)
    if query.is_empty:
        return None, []
    candidates = _regions_matching(query, 8)
    best = [r for r in candidates if getattr(r, "search_rank", 3) <= 1]
    if len(best) == 1 or (best and len(candidates) == 1):
        return best[0], []
    if len(best) > 1:
        # Several regions named alike: the largest (country before state before city) wins if
        # it is the only one of its kind level, else ask.
        top = [r for r in best if r.kind_order == best[0].kind_order]
        if len(top) == 1:
            return top[0], []
    return None, candidates


def region_label(region: Region) -> str:
    """How the region picker shows and submits a region: ``Bavaria (DE-BY)``."""
    return f"{region.name} ({region.iso_code or region.slug})"


# --- People and agreements (site search) ---------------------------------------------------------


def person_document() -> Func:
    """Written exactly as the organizations_person_* indexes of migration 0002_search."""
    return _func(
        "organizations_person_document", F("given_name"), F("family_name"), F("native_name")
    )


def search_people(query: ParsedQuery, *, limit: int = 10) -> tuple[list[Person], int]:
    """People with a public affiliation whose name matches; the first ``limit`` and a capped
    count."""
    if query.is_empty:
        return [], 0
    document = person_document()
    terms = _func("organizations_search_terms", document, output_field=TEXT_ARRAY)
    people = Person.objects.public().filter(*text_conditions(query, document=document, terms=terms))
    count = people.order_by().values("pk")[: RESULT_CAP + 1].count()
    rows = list(
        people.order_by("family_name", "given_name", "pk").prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.publishable()
                .select_related("organization")
                .order_by("organization__name_en"),
                to_attr="public_affiliations",
            )
        )[:limit]
    )
    return rows, count


def agreement_document() -> Func:
    """Written exactly as the organizations_agreement_* indexes of migration 0002_search."""
    return _func(
        "organizations_agreement_document",
        F("code"),
        F("title_en"),
        F("title_de"),
        F("title_ja"),
        F("summary_en"),
        F("summary_de"),
        F("summary_ja"),
    )


def search_agreements(
    query: ParsedQuery, *, limit: int = 10, parties_by_exact_name: bool = False
) -> tuple[list[Any], int]:
    """Published agreements whose code, title or summary matches, or one of whose parties is
    named by the query; the first ``limit`` and a capped count.

    ``parties_by_exact_name``: the query names very many organisations (a broad term such as
    "cluster"); find agreements only through parties whose name is exactly the query.
    """
    from partnerships.models import Agreement, AgreementParty

    if query.is_empty:
        return [], 0
    document = agreement_document()
    terms = _func("organizations_search_terms", document, output_field=TEXT_ARRAY)
    if parties_by_exact_name:
        party_organizations = Organization.objects.filter(exact_name_condition(query.phrase))
    else:
        party_organizations = Organization.objects.filter(
            *text_conditions(
                query, document=F("search_names"), terms=F("search_terms"), recheck_terms=True
            )
        )
    by_text = Agreement.objects.filter(*text_conditions(query, document=document, terms=terms))
    by_party = AgreementParty.objects.filter(organization__in=party_organizations)
    # One indexed UNION, not an OR of two conditions over the whole table.
    matching = by_text.order_by().values("pk").union(by_party.order_by().values("agreement_id"))
    agreements = Agreement.objects.published().filter(pk__in=matching)
    count = agreements.order_by().values("pk")[: RESULT_CAP + 1].count()
    rows = list(agreements.for_listing()[:limit])
    return rows, count


# --- Highlighting --------------------------------------------------------------------------------

_SPECIAL_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"}
_GERMAN_FOLDS = {"ä": "ae", "ö": "oe", "ü": "ue"}


@lru_cache(maxsize=4096)
def _fold_char(char: str, german: bool) -> str:
    lower = char.lower()
    if german and lower in _GERMAN_FOLDS:
        return _GERMAN_FOLDS[lower]
    if lower in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[lower]
    if _CJK_RE.match(lower):
        return unicodedata.normalize("NFKC", lower)
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", lower))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _folded(text: str, german: bool) -> tuple[str, list[int] | None]:
    """``text`` folded like the database does, and for each folded character its source index
    (None: the same index, for plain ASCII)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = _fold_char(char, german)
        out.append(folded)
        index.extend([position] * len(folded))
    return "".join(out), index


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
                    spans.append((index[start], index[end - 1] + 1))
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
