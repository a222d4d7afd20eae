"""Region search: the region picker's suggestions and the region a visitor typed, resolved."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Contains, Exact, StartsWith

from core.languages import language_codes, supported_language
from organizations.functions import RegionDocument, SearchClean, SearchTerms
from organizations.models import Region
from organizations.search.query import ParsedQuery, clean_input, parse_query, text_conditions

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class RegionRanking(TypedDict):
        search_rank: int
        kind_order: int

    # A region as :func:`_regions_matching` returns it.
    type RegionMatch = WithAnnotations[Region, RegionRanking]

_CODE_IN_LABEL_RE = re.compile(r"\(([\w-]{2,120})\)\s*$")


def region_document() -> RegionDocument:
    """The expression of the organizations_region_* indexes (``Region.Meta.indexes``)."""
    return RegionDocument(languages=language_codes())


def region_terms() -> SearchTerms:
    return SearchTerms(RegionDocument(languages=language_codes()))


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
    padded = Func(Value(" "), document, Value(" "), function="concat", output_field=TextField())
    own_name = SearchClean(Coalesce(NullIf(F(f"name_{_language()}"), Value("")), F("name_en")))
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


def search_regions(query: ParsedQuery, *, limit: int = 5) -> list[Region]:
    """The site search's regions: those matching ``query``, best first, followed by the
    macro-regions that include them ("osaka": Osaka, Osaka city, then Kansai). Two queries."""
    if query.is_empty:
        return []
    regions = _regions_matching(query, limit)
    found = {region.pk for region in regions}
    including = (
        Region.objects.filter(members__in=found)
        .exclude(pk__in=found)
        .select_related("parent")
        .distinct()
        .order_by("name", "pk")[:limit]
    )
    return regions + list(including) if regions else []


def _language() -> str:
    return supported_language()


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
    ranked = cast("list[RegionMatch]", candidates)  # annotated by _regions_matching
    best = [r for r in ranked if r.search_rank <= 1]
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
