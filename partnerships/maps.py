"""The partnership map: organisations as points and agreements as great-circle arcs, projected
on the server (``partnerships.projection``) into an inline SVG over the committed country shapes
(static/map/world.svg). No tiles, no script library, no third-party request.

One selector, :func:`agreement_map`, draws any set of published agreements (the home page, an
organisation's, a region's, a region pair's, the filtered map page). Up to ``MAX_ARCS``
agreements and ``MAX_POINTS`` organisations it draws each one; beyond, it aggregates in SQL:
organisations clustered per country (a point sized by their number, linking to the country's
page) and agreements bundled per pair of countries (one arc, linking to the region-pair page).
A fixed number of queries and a bounded size, whatever the database holds.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.caching import cached_summary
from organizations.models import Organization, Region
from partnerships.models import Agreement, AgreementParty
from partnerships.projection import HEIGHT, WIDTH, arc_path, equal_earth

# Sized so that the map and its list, full, stay well inside the list-page budget (60 KB in
# tests/test_page_budgets.py): an arc with its link is ~0.25 KB, a point ~0.15 KB, and the list
# repeats each link.
MAX_ARCS = 60
MAX_POINTS = 80
MAX_CLUSTERS = 60  # countries shown when aggregated, the most populous first
MAX_BUNDLES = 60  # country pairs shown when aggregated, the most agreements first
ARC_STEPS = 12  # segments of a great-circle arc (each point projected)

# The pages show the world down to 60° south (no organisation lies further south; Antarctica is
# not drawn): the country shapes' image keeps its full height and is cut by the viewBox.
VIEW_BOX = f"0 0 {WIDTH} {round(equal_earth(0, -60)[1])}"

# The region tree is at most five levels deep (country, subdivision, sub-subdivision, district,
# city): the highest of these ancestors is the organisation's country.
_TREE_DEPTH = 5


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    name: str
    url: str
    approximate: bool = False
    count: int = 1  # organisations of a cluster

    @property
    def radius(self) -> float:
        return 5 if self.count == 1 else round(4 + 2.5 * math.sqrt(self.count), 1)


@dataclass(frozen=True)
class MapArc:
    path: str
    name: str
    url: str
    status: str = ""  # an Agreement.Status; "" for a bundle of agreements
    count: int = 1  # agreements of a bundle

    @property
    def width(self) -> float:
        return 1.5 if self.count == 1 else round(1.5 + math.log2(self.count), 1)


@dataclass
class WorldMap:
    points: list[MapPoint] = field(default_factory=list)
    arcs: list[MapArc] = field(default_factory=list)
    aggregated: bool = False
    truncated: bool = False  # aggregated, and more countries or pairs than shown
    view_box: str = VIEW_BOX
    width: int = WIDTH  # of the country shapes' image
    height: int = HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def statuses(self) -> list[tuple[str, str]]:
        """(status, label) of the statuses drawn, in the order of ``Agreement.Status``: the
        legend."""
        drawn = {arc.status for arc in self.arcs}
        return [(value, str(label)) for value, label in Agreement.Status.choices if value in drawn]

    @property
    def has_approximate(self) -> bool:
        return any(point.approximate for point in self.points)


def _position(latitude: Decimal | float, longitude: Decimal | float) -> tuple[float, float]:
    return float(longitude), float(latitude)


def agreement_map(
    agreements: models.QuerySet[Agreement], loaded: Sequence[Agreement] | None = None
) -> WorldMap:
    """The map of ``agreements`` (published ones: the caller's queryset, filtered as it likes)
    and of their parties that have a position. At most six queries.

    ``loaded``: every agreement of ``agreements``, already read with ``with_status()`` and
    ``with_parties()`` (an organisation page's few agreements): drawn from those rows, without a
    query, unless there are too many to draw each one."""
    if loaded is not None and len(loaded) <= MAX_ARCS:
        parties = sorted(
            (
                party
                for agreement in loaded
                for party in agreement.parties.all()
                if party.organization.latitude is not None
            ),
            key=lambda party: (party.agreement_id, party.position, party.pk),
        )
        statuses: Iterable[Agreement] | None = sorted(loaded, key=lambda agreement: agreement.pk)
    else:
        ids = list(agreements.order_by().values_list("pk", flat=True)[: MAX_ARCS + 1])  # 1
        if len(ids) > MAX_ARCS:
            return _aggregated_map(agreements)
        parties = list(  # 2
            AgreementParty.objects.filter(
                agreement_id__in=ids, organization__latitude__isnull=False
            )
            .select_related("organization")
            .order_by("agreement_id", "position", "pk")
        )
        statuses = None
    organizations = {party.organization_id: party.organization for party in parties}
    if len(organizations) > MAX_POINTS:
        return _aggregated_map(agreements)
    by_agreement: dict[int, list[Organization]] = {}
    for party in parties:
        by_agreement.setdefault(party.agreement_id, []).append(party.organization)
    arcs = []
    drawn = {pk for pk, members in by_agreement.items() if len(members) > 1}
    if statuses is None:
        statuses = Agreement.objects.filter(pk__in=drawn).with_status().order_by("pk")  # 3
    else:
        statuses = [agreement for agreement in statuses if agreement.pk in drawn]
    for agreement in statuses:
        first, *others = by_agreement[agreement.pk]
        start = _position(first.latitude, first.longitude)  # type: ignore[arg-type]  # positioned
        path = " ".join(
            arc_path(start, _position(o.latitude, o.longitude), ARC_STEPS)  # type: ignore[arg-type]
            for o in others
        )
        name = f"{agreement} ({agreement.get_status_display()})"
        arcs.append(MapArc(path, name, agreement.get_absolute_url(), agreement.status))
    points = []
    for organization in sorted(organizations.values(), key=lambda o: str(o.name).casefold()):
        x, y = equal_earth(*_position(organization.latitude, organization.longitude))  # type: ignore[arg-type]
        approximate = organization.location_source == Organization.LocationSource.REGION
        name = str(organization)
        if approximate:
            name = _("%(name)s (approximate position)") % {"name": name}
        points.append(
            MapPoint(round(x, 1), round(y, 1), name, organization.get_absolute_url(), approximate)
        )
    return WorldMap(points=points, arcs=arcs)


def _country(region: str) -> Coalesce:
    """The country of the region at path ``region``: its highest ancestor (in SQL, joins)."""
    levels = [region + "__parent" * depth for depth in range(_TREE_DEPTH - 1, -1, -1)]
    return Coalesce(*levels, output_field=models.BigIntegerField())


def _country_pairs(parties: models.QuerySet[AgreementParty]) -> list[dict[str, int]]:
    """{a, b, agreements}: the agreements per pair of countries (each pair once, a < b), the
    most first, at most ``MAX_BUNDLES + 1``. Each agreement's countries are gathered into one
    sorted array and its pairs unnested from it: one pass over the parties, no self-join (the
    self-join, with the ORM's joins or on a CTE, ran nested loops on freshly loaded tables:
    3 to 30 s for 3,000 rows)."""
    placed = (
        parties.order_by()
        .annotate(country=_country("organization__region"))
        .values("agreement_id", "country")
    )
    placed_sql, params = placed.query.sql_with_params()
    sql = f"""
        WITH per_agreement AS (
            SELECT array_agg(DISTINCT country ORDER BY country) AS c
            FROM ({placed_sql}) placed
            GROUP BY agreement_id
        )
        SELECT c[i], c[j], count(*) AS agreements
        FROM per_agreement
        CROSS JOIN LATERAL generate_series(1, cardinality(c)) AS i
        CROSS JOIN LATERAL generate_series(i + 1, cardinality(c)) AS j
        GROUP BY 1, 2
        ORDER BY 3 DESC, 1, 2
        LIMIT %s
    """  # noqa: S608 - the ORM's own SQL, its values and the limit are query parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, MAX_BUNDLES + 1])
        return [{"a": a, "b": b, "agreements": n} for a, b, n in cursor.fetchall()]


def _aggregated_map(agreements: models.QuerySet[Agreement]) -> WorldMap:
    """Countries as clusters and country pairs as bundled arcs: the ids, then three grouped
    queries."""
    # The agreements' ids first, as a list: as a subquery (with a region's recursive subtree or
    # the status annotation inside) the planner misjudged the grouped queries below on freshly
    # loaded tables and ran them for minutes.
    ids = list(agreements.order_by().values_list("pk", flat=True))
    parties = AgreementParty.objects.filter(agreement_id__in=ids)
    clusters = list(  # organisations with a position per country, their mean position
        parties.filter(organization__latitude__isnull=False)
        .annotate(country=_country("organization__region"))
        .values("country")
        .annotate(
            organizations=Count("organization", distinct=True),
            latitude=Avg("organization__latitude"),
            longitude=Avg("organization__longitude"),
        )
        .order_by("-organizations", "country")[: MAX_CLUSTERS + 1]
    )
    pairs = _country_pairs(parties)
    truncated = len(clusters) > MAX_CLUSTERS or len(pairs) > MAX_BUNDLES
    clusters, pairs = clusters[:MAX_CLUSTERS], pairs[:MAX_BUNDLES]
    country_ids = {row["country"] for row in clusters} | {
        pk for pair in pairs for pk in (pair["a"], pair["b"])
    }
    countries = Region.objects.in_bulk(country_ids)  # 3
    centres: dict[int, tuple[float, float]] = {
        row["country"]: _position(row["latitude"], row["longitude"]) for row in clusters
    }
    for pk, country in countries.items():  # a country whose organisations have no position
        if pk not in centres and country.latitude is not None and country.longitude is not None:
            centres[pk] = _position(country.latitude, country.longitude)
    points = []
    for row in clusters:
        country = countries[row["country"]]
        x, y = equal_earth(*centres[row["country"]])
        count = row["organizations"]
        name = ngettext(
            "%(region)s: %(count)s organisation", "%(region)s: %(count)s organisations", count
        ) % {"region": country.name, "count": count}
        points.append(
            MapPoint(round(x, 1), round(y, 1), name, country.get_absolute_url(), count=count)
        )
    arcs = []
    for pair in pairs:
        if pair["a"] not in centres or pair["b"] not in centres:
            continue
        a, b = countries[pair["a"]], countries[pair["b"]]
        count = pair["agreements"]
        name = ngettext(
            "%(a)s ↔ %(b)s: %(count)s agreement", "%(a)s ↔ %(b)s: %(count)s agreements", count
        ) % {"a": a.name, "b": b.name, "count": count}
        url = reverse("partnerships:region_pair", kwargs={"slug": a.slug, "other_slug": b.slug})
        path = arc_path(centres[pair["a"]], centres[pair["b"]], ARC_STEPS)
        arcs.append(MapArc(path, name, url, count=count))
    return WorldMap(points=points, arcs=arcs, aggregated=True, truncated=truncated)


def published_map() -> WorldMap:
    """The map of every published agreement (the home page, the map page unfiltered): it reads
    every published agreement and positioned organisation, so it is a cached summary per
    language (its names and links), recomputed when public data or the day changes."""
    return cached_summary(
        f"map-published-{get_language()}",
        lambda: agreement_map(Agreement.objects.published()),
    )


def filtered_map(agreements: models.QuerySet[Agreement], filters: dict[str, Any]) -> WorldMap:
    """The map of the agreement list's ``agreements`` as ``filters`` (the form's active filters)
    narrowed them: a cached summary per language and filters, like :func:`published_map`. A
    country's agreements are thousands at 100,000 organisations: grouping their parties by
    country took 300 ms, on every request of the same map."""
    described = ";".join(
        f"{name}={getattr(value, 'pk', value)}" for name, value in sorted(filters.items())
    )
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    return cached_summary(
        f"map-filtered-{get_language()}-{digest}", lambda: agreement_map(agreements)
    )


def map_fit(*subtrees: list[int]) -> str:
    """The first view of a region's (or a region pair's) map: the box, in viewBox units, around
    the positioned organisations of the given region subtrees ("x y w h"; "" when none has a
    position). static/js/map.js fits its first view to it (with a margin). One aggregate query."""
    region_ids = [pk for subtree in subtrees for pk in subtree]
    bounds = Organization.objects.filter(
        region_id__in=region_ids, latitude__isnull=False, longitude__isnull=False
    ).aggregate(
        south=Min("latitude"), north=Max("latitude"), west=Min("longitude"), east=Max("longitude")
    )
    if bounds["south"] is None:
        return ""
    corners = [
        equal_earth(float(longitude), float(latitude))
        for latitude in (bounds["south"], bounds["north"])
        for longitude in (bounds["west"], bounds["east"])
    ]
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    return " ".join(
        f"{value:.1f}" for value in (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    )
