"""Organisation search: the text filter, ranking, the cap for broad terms, spelling correction.

Used by the organisation list and the site search. The search columns (``search_document``,
``search_names``, ``search_terms``) are kept right by the triggers of migration 0002_search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.lookups import Contains
from django.utils.translation import get_language

from core.caching import cached_summary
from core.languages import supported_language
from organizations.functions import TEXT_ARRAY, OrganizationNames
from organizations.models import Organization, OrganizationQuerySet, Region, sort_name_expression
from organizations.search.query import (
    RESULT_CAP,
    ParsedQuery,
    Token,
    clean_input,
    parse_query,
    text_conditions,
)
from organizations.search.regions import resolve_region

SEARCH_COLUMNS = ("search_names", "search_document", "search_terms")


def sort_name(language: str | None = None) -> Expression:
    """The organisation name to sort by in ``language``, falling back to the other languages
    (a name may be given in one language only): exactly the expression of the
    organizations_org_sort_* indexes of ``Organization.Meta.indexes``."""
    language = supported_language(language)
    # Typed here, not in the index's expression (which would then need a migration): the names'
    # modeltranslation field classes differ, so Django cannot infer the type when it is selected.
    return ExpressionWrapper(sort_name_expression(language), output_field=CharField())


def organization_names() -> OrganizationNames:
    """The organisation's normalised names as an array; the expression of the
    organizations_org_names_gin index (``Organization.Meta.indexes``)."""
    return OrganizationNames()


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


def organization_text_filter(
    queryset: QuerySet[Organization], query: ParsedQuery
) -> QuerySet[Organization]:
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


def nearest_words(query: ParsedQuery, limit: int = 5) -> list[str]:
    """The indexed words most like the query's words (pg_trgm similarity over ``SearchWord``,
    served by its trigram index), best first: what a search that found nothing offers."""
    tokens = [t.text for t in query.tokens if not t.cjk and len(t.text) >= 3]
    if not tokens:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.word FROM organizations_searchword w, unnest(%s::text[]) AS t(token)
            WHERE w.word %% t.token
            GROUP BY w.word
            ORDER BY max(similarity(w.word, t.token)) DESC, w.word
            LIMIT %s
            """,
            [tokens, limit],
        )
        return [word for (word,) in cursor.fetchall()]


@dataclass
class OrganizationResults:
    """A sliceable, countable result list for ``Paginator``: ranked, capped for broad terms."""

    queryset: QuerySet[Organization]  # filtered, not ordered
    query: ParsedQuery
    language: str
    _count: int | None = field(default=None, init=False)
    _exact_ids: list[int] | None = field(default=None, init=False)
    base: QuerySet[Organization] | None = None  # the same filters without the text query
    _named_count: int | None = field(default=None, init=False)

    # Counts the unfiltered list, instead of ``queryset.count()`` (see ``search_organizations``).
    count_all: Callable[[], int] | None = None

    @property
    def total(self) -> int:
        """Matches: every active organisation for the unfiltered list (``count_all``), else
        counted up to ``RESULT_CAP + 1``. A filter's matches grow with the directory (a kind, a
        language spoken, a country: a quarter of 100,000 organisations, 180-780 ms to count
        exactly there), a count that stops at the cap does not (issue 22)."""
        if self._count is None:
            if self.count_all is not None:
                self._count = self.count_all()
            else:
                self._count = self.queryset.order_by().values("pk")[: RESULT_CAP + 1].count()
        return self._count

    @property
    def capped(self) -> bool:
        """More than ``RESULT_CAP`` matches of a search or a filtered list: the page lists the
        first ``RESULT_CAP`` (by name without text) and says that there are more."""
        return self.count_all is None and self.total > RESULT_CAP

    def count(self) -> int:
        return self.total if self.count_all is not None else min(self.total, RESULT_CAP)

    def __len__(self) -> int:
        return self.count()

    def ordered(self) -> QuerySet[Organization]:
        """Every match as one queryset, not capped: ranked when there is text (by name past the
        cap, as the page lists them), else by name. For downloads, which read it through a
        server-side cursor."""
        return self._ordered()

    def _ordered(self) -> QuerySet[Organization]:
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
        if self.query.is_empty:
            rows = list(self._deferred_page(start, stop))
        elif not self.capped:
            rows = list(self._ordered()[start:stop])
        else:
            rows = self._capped_slice(start, stop)
        prefetch_related_objects(rows, "focus_areas")
        return rows

    def _deferred_page(self, start: int, stop: int | None) -> QuerySet[Organization]:
        """A page of the list in name order, its ids chosen first (a "deferred join").

        A deep page (``OFFSET 99975``) must step over every row before it. Stepping over the
        entries of the narrow ``organizations_org_sort_*`` index (name and id, an index-only
        scan) costs a few milliseconds at 100,000 rows; stepping over the wide rows with their
        search columns and regions cost 190 ms at 20,000. One statement: the page's 25 ids in a
        subquery, then only those rows.
        """
        order = (sort_name(self.language), "pk")
        page_ids = self.queryset.order_by(*order).values("pk")[start:stop]
        return self.queryset.filter(pk__in=page_ids).order_by(*order)

    def _named(self) -> QuerySet[Organization]:
        """Matches with every token in their names. A name match of 3+ Latin characters implies
        the document match (the document contains the names), so that condition is left out:
        with both, the planner multiplies their selectivities and misjudges the row count."""
        conditions: list[Expression] = []
        if self.base is None:
            base = self.queryset
        else:
            base = self.base
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
            pairs = exact.order_by().values_list("pk", order[0])[:RESULT_CAP]
            self._exact_ids = [pk for pk, _name in sorted(pairs, key=lambda r: (r[1] or "", r[0]))]
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


def active_organization_count() -> int:
    """How many organisations the unfiltered list holds (not archived), cached per content
    generation (``core.caching.cached_summary``)."""
    return cached_summary("active-organization-count", Organization.objects.active().count)


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
    queryset: QuerySet[Organization] | None = None,
) -> OrganizationSearch:
    """Organisations matching a text query, a region (and below), a focus area and a kind."""
    language = (language or get_language() or "en")[:2]
    query = parse_query(q)
    organizations = queryset if queryset is not None else Organization.objects.all()
    # Archived organisations keep their page (agreements link to it) but are not searched.
    organizations = cast(OrganizationQuerySet, organizations).active()
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
    if (
        queryset is None
        and query.is_empty
        and not region_input
        and focus_area_id is None
        and not kind
    ):
        # The unfiltered list counts every active organisation: 30 ms at 100,000 (an index-only
        # scan of all of them) on every page of the list. A whole-table figure, so a cached
        # summary, like the home page's: recounted once per change of public data and day.
        results.count_all = active_organization_count
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


_SLUG_IN_LABEL_RE = re.compile(r"\(([\w-]{1,120})\)\s*$")


def organization_label(organization: Organization) -> str:
    """How the organisation picker shows and submits an organisation: ``BioM (biom)``."""
    return f"{organization.name} ({organization.slug})"


def resolve_organization(value: Any) -> tuple[Organization | None, list[Organization]]:
    """The organisation a visitor means by ``value``, or None and up to five suggestions.

    Accepts a slug (``biom``), a picker label ending in the slug in parentheses
    (``BioM (biom)``), or a name that the organisation search finds unambiguously: the only
    organisation with exactly that name (any language, short or legal), or the only match.
    """
    value = clean_input(value)
    if not value:
        return None, []
    keys = {value, value.lower()}
    label = _SLUG_IN_LABEL_RE.search(value)
    if label:
        keys |= {label.group(1), label.group(1).lower()}
    direct = Organization.objects.filter(slug__in=keys).order_by("pk").first()
    if direct is not None:
        return direct, []
    found = search_organizations(q=value)
    if found.query.is_empty:
        return None, []
    exact = list(found.results.queryset.filter(exact_name_condition(found.query.phrase))[:2])
    if len(exact) == 1:
        return exact[0], []
    candidates = found.results[0:5]
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates
