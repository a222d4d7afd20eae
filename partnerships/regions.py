"""What the region page and the region-pair page show of a whole region: figures that read every
agreement and organisation of the region (a country at 100,000 organisations: ~8,300
organisations, ~3,000 agreements), kept as cached summaries.

Each is computed once per content generation and day (``organizations.generation.
cached_summary``: never stale, any committed change to public data makes a new key) and then
costs one cache lookup; the pages read per request only the rows they list (a page of
organisations, the newest agreements), by deferred joins (``partnerships.pagination``).

- :func:`region_facts`: the region's subtree, its counts, the signings per year, the partner
  regions and the organisations per child region; the same in every language (regions are
  pickled whole: their names follow the language of the request that renders them).
- :func:`region_map`: the map of the region's agreements, per language (its names and links).
- :func:`region_pair_facts`: both subtrees, the count and the map of a region pair, per language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language

from organizations.generation import cached_summary
from organizations.models import Organization, Region
from partnerships.charts import signed_per_year
from partnerships.maps import WorldMap, agreement_map
from partnerships.models import Agreement, AgreementParty


@dataclass(frozen=True)
class RegionFacts:
    subtree_ids: list[int]  # the region and every region below it (tree and membership)
    organization_count: int  # registered in the subtree
    agreement_count: int  # published, with a party in the subtree
    signings: dict[tuple[str, str], int]  # partnerships.charts.signed_per_year
    # The regions of the partners outside and every region above them, as ids: the page reads
    # the countries and macro-regions among them per request, in the order of its language.
    partner_region_ids: list[int]
    subregion_counts: dict[int, int]  # child region id → organisations in its tree (if any)


@dataclass(frozen=True)
class RegionPairFacts:
    subtree_ids: list[int]
    other_subtree_ids: list[int]
    agreement_count: int
    world_map: WorldMap


def region_agreements(subtree_ids: list[int]) -> models.QuerySet[Agreement]:
    """Published agreements with a party in ``subtree_ids`` (a region's subtree, as a list)."""
    return Agreement.objects.published().involving_regions(subtree_ids)


def region_facts(region: Region) -> RegionFacts:
    """:class:`RegionFacts` of ``region``: a cached summary."""
    return cached_summary(f"region-facts-{region.pk}", lambda: _region_facts(region))


def _region_facts(region: Region) -> RegionFacts:
    """Eight queries: the subtree, the agreements' ids, the partners' regions, the regions above
    them, the organisations' count, the chart, and the child regions' ids and counts."""
    subtree_ids = Region.objects.subtree_id_list(region)
    # The agreements' ids once, as a list: the chart and the partners read them through the
    # primary key instead of probing the parties of the whole subtree again each.
    agreement_ids = list(region_agreements(subtree_ids).order_by().values_list("pk", flat=True))
    agreements = Agreement.objects.filter(pk__in=agreement_ids)
    # The regions of the partners outside this region. The subtree is left out in Python: as
    # ``NOT IN (recursive subquery)`` PostgreSQL may run the recursive query again for every
    # row (it cannot hash a subquery whose size it cannot estimate).
    inside = set(subtree_ids)
    party_region_ids = (
        AgreementParty.objects.filter(agreement_id__in=agreement_ids)
        .order_by()
        .values_list("organization__region_id", flat=True)
        .distinct()
    )
    outside = [pk for pk in party_region_ids if pk not in inside]
    return RegionFacts(
        subtree_ids=subtree_ids,
        organization_count=Organization.objects.filter(region_id__in=subtree_ids).count(),
        agreement_count=len(agreement_ids),
        signings=signed_per_year(agreements) if agreement_ids else {},
        partner_region_ids=Region.objects.upward_ids(outside),
        # One grouped query over the subtree below the children.
        subregion_counts=Region.objects.organization_counts(
            list(region.children.values_list("pk", flat=True))
        ),
    )


def region_map(region: Region, subtree_ids: list[int]) -> WorldMap:
    """The map of the region's published agreements: a cached summary per language."""
    return cached_summary(
        f"region-map-{region.pk}-{get_language()}",
        lambda: agreement_map(region_agreements(subtree_ids)),
    )


def region_pair_facts(region: Region, other: Region) -> RegionPairFacts:
    """:class:`RegionPairFacts` of the two regions: a cached summary per language (the map)."""

    def compute() -> RegionPairFacts:
        subtree_ids = Region.objects.subtree_id_list(region)
        other_subtree_ids = Region.objects.subtree_id_list(other)
        ids = list(
            region_pair_agreements(subtree_ids, other_subtree_ids)
            .order_by()
            .values_list("pk", flat=True)
        )
        return RegionPairFacts(
            subtree_ids=subtree_ids,
            other_subtree_ids=other_subtree_ids,
            agreement_count=len(ids),
            world_map=agreement_map(Agreement.objects.filter(pk__in=ids)),
        )

    return cached_summary(f"region-pair-{region.pk}-{other.pk}-{get_language()}", compute)


def region_pair_agreements(
    subtree_ids: list[int], other_subtree_ids: list[int]
) -> models.QuerySet[Agreement]:
    """Published agreements with a party in each of two subtrees."""
    return region_agreements(subtree_ids).involving_regions(other_subtree_ids)
