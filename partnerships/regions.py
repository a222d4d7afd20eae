"""What the region page and the region-pair page show of a whole region: figures that read every
agreement and organisation of the region (a country at 100,000 organisations: ~8,300
organisations, ~3,000 agreements), kept as cached summaries.

Each is computed once per content generation, day and language (``core.caching.
cached_summary``: never stale, any committed change to public data is a new version) and then
costs one cache lookup; the pages read per request only the rows they list: a page of
organisations by a deferred join (``core.pagination``), the agreements by primary key
(their first ids and statuses are in the summary). Per language, because the map's names and
links and the order of the agreements (by title) are.

- :func:`region_facts`: the region's subtree, its counts, the signings per year, the partner
  regions, the organisations per child region, the map and the newest agreements. Regions are
  kept as ids and read per request, in the order of its language.
- :func:`region_pair_facts`: both subtrees, the count, the map and the first pages of a region
  pair's agreements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch
from django.utils.translation import get_language

from core.caching import cached_summary
from core.pagination import KeptIds
from organizations.models import Affiliation, Organization, Region
from partnerships import timeline
from partnerships.maps import WorldMap, agreement_map, map_fit
from partnerships.models import Agreement, AgreementParty, AgreementQuerySet

if TYPE_CHECKING:
    from partnerships.models import AgreementsWithStatus

# The region pair's first agreement ids kept in its summary (the first 40 pages of 25): its
# pages among them are read by primary key, deeper ones by a deferred join. Bounds the summary.
PAIR_IDS_KEPT = 1000


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
    world_map: WorldMap
    # The newest agreements' ids, in the agreement list's order, and their statuses (of the day:
    # the summary's key has the date).
    newest_agreements: dict[int, str]
    # The map's first view: the box around the subtree's positioned organisations
    # (partnerships.maps.map_fit). A summary: an aggregate over every organisation of a
    # country (130 ms for two countries at 100,000 organisations) is no per-request query.
    map_fit: str = ""


@dataclass(frozen=True)
class RegionPairFacts:
    subtree_ids: list[int]
    other_subtree_ids: list[int]
    agreement_count: int
    agreements: dict[int, str]  # the first PAIR_IDS_KEPT ids, in the list's order: statuses
    world_map: WorldMap
    map_fit: str = ""  # the box around both regions' positioned organisations
    # The latest public activities under the pair's agreements (partnerships/timeline.py): read
    # here from the pair's ids, so that the page reads the few rows by id instead of running
    # the pair's agreement query again (a scan of every party: 100 ms at 100,000 organisations).
    recent_activity_ids: tuple[int, ...] = ()


def region_agreements(subtree_ids: list[int]) -> AgreementQuerySet:
    """Published agreements with a party in ``subtree_ids`` (a region's subtree, as a list)."""
    return Agreement.objects.published().involving_regions(subtree_ids)


def region_facts(region: Region, newest: int) -> RegionFacts:
    """:class:`RegionFacts` of ``region`` with its ``newest`` agreements: a cached summary per
    language."""
    return cached_summary(
        f"region-{region.pk}-{newest}-{get_language()}",
        lambda: _region_facts(region, newest),
        # Its agreements are those of the region's subtree: read under the region's tag when
        # the region page reads them so (partnerships/views.py, core/caching.py).
        in_scope=True,
    )


def _region_facts(region: Region, newest: int) -> RegionFacts:
    """Eight queries and the map's (at most six): the subtree, the agreements with their status
    and signing date (in the list's order: the count, the chart and the newest come from it),
    the partners' regions, the regions above them, the organisations' count, and the child
    regions' ids and counts."""
    subtree_ids = Region.objects.subtree_id_list(region)
    rows = list(
        region_agreements(subtree_ids)
        .with_status()
        .values_list("pk", "current_status", "signed_on")
    )
    agreement_ids = [pk for pk, _status, _signed_on in rows]
    # Counted here as partnerships.charts.signed_per_year counts in SQL.
    signings = Counter(
        (str(signed_on.year), status) for _pk, status, signed_on in rows if signed_on is not None
    )
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
        agreement_count=len(rows),
        signings=dict(signings),
        partner_region_ids=Region.objects.upward_ids(outside),
        # One grouped query over the subtree below the children.
        subregion_counts=Region.objects.organization_counts(
            list(region.children.values_list("pk", flat=True))
        ),
        world_map=agreement_map(Agreement.objects.filter(pk__in=agreement_ids)),
        newest_agreements={pk: status for pk, status, _signed_on in rows[:newest]},
        map_fit=map_fit(subtree_ids),
    )


def region_pair_facts(region: Region, other: Region) -> RegionPairFacts:
    """:class:`RegionPairFacts` of the two regions: a cached summary per language (the map)."""

    def compute() -> RegionPairFacts:
        subtree_ids = Region.objects.subtree_id_list(region)
        other_subtree_ids = Region.objects.subtree_id_list(other)
        # Every id, in the list's order (a region pair's agreements are a few hundred where a
        # region's are thousands): the count, the map and the first pages from one query.
        statuses = dict(
            region_pair_agreements(subtree_ids, other_subtree_ids)
            .with_status()
            .values_list("pk", "current_status")
        )
        ids = list(statuses)
        return RegionPairFacts(
            subtree_ids=subtree_ids,
            other_subtree_ids=other_subtree_ids,
            agreement_count=len(ids),
            agreements={pk: statuses[pk] for pk in ids[:PAIR_IDS_KEPT]},
            world_map=agreement_map(Agreement.objects.filter(pk__in=ids)),
            map_fit=map_fit(subtree_ids, other_subtree_ids),
            recent_activity_ids=timeline.recent_ids(ids),
        )

    return cached_summary(f"region-pair-{region.pk}-{other.pk}-{get_language()}", compute)


def region_pair_agreements(
    subtree_ids: list[int], other_subtree_ids: list[int]
) -> AgreementQuerySet:
    """Published agreements with a party in each of two subtrees."""
    return region_agreements(subtree_ids).involving_regions(other_subtree_ids)


class KeptAgreements(KeptIds[Agreement]):
    """Pages of agreements whose first ids and statuses (of the day) were ``kept`` in a summary:
    read by primary key with their parties, their status set from the summary (not computed
    again in SQL); the pages past them from ``past()``, annotated there."""

    def __init__(
        self, kept: dict[int, str], count: int, past: Callable[[], AgreementsWithStatus]
    ) -> None:
        super().__init__(Agreement.objects.published().with_parties(), list(kept), count, past)
        self.kept = kept

    def __getitem__(self, index: slice) -> list[Agreement]:
        agreements = super().__getitem__(index)
        for agreement in agreements:
            if agreement.pk in self.kept:
                agreement.current_status = self.kept[agreement.pk]  # type: ignore[attr-defined]  # as with_status() annotates
        return agreements


def partner_states(region: Region, *, limit: int = 5) -> list[Region]:
    """The states (a country's first-level regions) where ``region``'s published agreements have
    partners, by name: the region pairs the site search offers ("osaka": Bavaria – Osaka). Six
    queries: the subtree, its agreements, the partners' regions, the regions above them and
    above ``region`` (a state that holds ``region`` is no pair), the states."""
    subtree_ids = Region.objects.subtree_id_list(region)
    inside = set(subtree_ids)
    # The agreements' ids are read first, as a list (as in _region_facts): given as a subquery,
    # PostgreSQL planned a nested loop over every party for minutes on a fresh crowd (tests).
    agreement_ids = list(region_agreements(subtree_ids).order_by().values_list("pk", flat=True))
    party_region_ids = (
        AgreementParty.objects.filter(agreement_id__in=agreement_ids)
        .order_by()
        .values_list("organization__region_id", flat=True)
        .distinct()
    )
    outside = [pk for pk in party_region_ids if pk not in inside]
    if not outside:
        return []
    above = set(Region.objects.upward_ids(outside)) - set(Region.objects.upward_ids([region.pk]))
    return list(
        Region.objects.filter(
            pk__in=above, kind=Region.Kind.SUBDIVISION, parent__kind=Region.Kind.COUNTRY
        ).order_by("name", "pk")[:limit]
    )


# "Who already cooperates there?": the organisations of a visitor's home region shown at most.
COOPERATING_SHOWN = 20


@dataclass
class Cooperating:
    """The organisations of ``home`` with published agreements into a target region, each with
    the number of those agreements and its public contacts; ``count``: all of them."""

    home: Region
    organizations: list[Organization]
    count: int


def cooperating_from(home: Region, target_subtree_ids: list[int]) -> Cooperating:
    """Organisations of ``home`` (and below) party to a published agreement with a party in the
    target subtree, most agreements first, with their public contacts: the warm introduction a
    first mission needs. Five queries: ``home``'s subtree, the agreements of the pair, the
    organisations with their numbers of agreements there (the first ``COOPERATING_SHOWN``),
    their count, their public contacts."""
    home_ids = Region.objects.subtree_id_list(home)
    # A list, not a subquery, for the planner (see partner_states).
    agreement_ids = list(
        region_pair_agreements(home_ids, target_subtree_ids).order_by().values_list("pk", flat=True)
    )
    found = (
        Organization.objects.filter(
            region_id__in=home_ids, agreement_parties__agreement_id__in=agreement_ids
        )
        .exclude(region_id__in=target_subtree_ids)  # a region inside both: not "from home"
        .annotate(agreements_there=Count("agreement_parties__agreement", distinct=True))
    )
    shown: list[Organization] = list(
        found.select_related("region")
        .prefetch_related(
            Prefetch(
                "affiliations",
                Affiliation.objects.publishable().select_related("person").order_by("pk"),
                to_attr="public_contacts",
            )
        )
        .order_by("-agreements_there", "name", "pk")[:COOPERATING_SHOWN]
    )
    count = len(shown) if len(shown) < COOPERATING_SHOWN else found.order_by().count()
    return Cooperating(home=home, organizations=shown, count=count)
