"""The partnership map (partnerships/maps.py): points, great-circle arcs by status, aggregation
at scale, and the pages that show it."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from organizations.models import Organization, Region
from partnerships import maps
from partnerships.maps import map_fit
from partnerships.models import Agreement, AgreementParty
from partnerships.projection import (
    HEIGHT,
    WIDTH,
    arc_path,
    equal_earth,
    great_circle,
    split_at_antimeridian,
)
from tests import factories

pytestmark = pytest.mark.django_db

MUNICH = (Decimal("48.137154"), Decimal("11.576124"))
OSAKA = (Decimal("34.693738"), Decimal("135.502165"))


def placed(name: str, position: tuple[Decimal, Decimal], source: str = "locality", **fields):
    latitude, longitude = position
    return factories.OrganizationFactory(
        name=name, latitude=latitude, longitude=longitude, location_source=source, **fields
    )


def agreement_between(*organizations: Organization, **fields) -> Agreement:
    agreement = factories.AgreementFactory(**fields)
    for position, organization in enumerate(organizations):
        factories.AgreementPartyFactory(
            agreement=agreement, organization=organization, position=position
        )
    return agreement


# The projection


def test_equal_earth_puts_the_origin_in_the_middle_and_the_antimeridian_on_the_edges():
    assert equal_earth(0, 0) == pytest.approx((WIDTH / 2, HEIGHT / 2), abs=0.5)
    assert equal_earth(180, 0)[0] == pytest.approx(WIDTH)
    assert equal_earth(-180, 0)[0] == pytest.approx(0)
    assert equal_earth(0, 90)[1] == pytest.approx(0)
    # Munich lies east of the centre and north of the equator.
    x, y = equal_earth(11.58, 48.14)
    assert x > WIDTH / 2 and y < HEIGHT / 2


def test_great_circle_from_munich_to_osaka_bends_north_of_both_ends():
    points = great_circle((11.58, 48.14), (135.5, 34.69), 12)
    assert points[0] == pytest.approx((11.58, 48.14))
    assert points[-1] == pytest.approx((135.5, 34.69))
    assert max(lat for _lon, lat in points) > 60  # over Siberia, not a straight line


def test_an_arc_across_the_antimeridian_is_cut_at_both_edges_of_the_map():
    points = great_circle((170.0, -10.0), (-170.0, 10.0), 8)
    pieces = split_at_antimeridian(points)
    assert len(pieces) == 2
    assert pieces[0][-1][0] == 180 and pieces[1][0][0] == -180
    assert pieces[0][-1][1] == pieces[1][0][1]
    path = arc_path((170.0, -10.0), (-170.0, 10.0))
    assert path.count("M") == 2  # two subpaths: no line across the whole map


# The selector


def test_organisations_are_points_and_agreements_arcs_coloured_by_status():
    munich = placed("Munich Test Cluster", MUNICH)
    osaka = placed("Osaka Test Cluster", OSAKA, source="region")
    in_force = agreement_between(munich, osaka, title="Test accord in force")
    expired = agreement_between(
        munich,
        osaka,
        title="Test accord expired",
        term=Agreement.Term.FIXED,
        signed_on=datetime.date(2001, 1, 1),
        effective_from=datetime.date(2001, 1, 1),
        valid_until=datetime.date(2002, 1, 1),
    )

    world_map = maps.agreement_map(Agreement.objects.published())

    assert not world_map.aggregated
    assert [p.name for p in world_map.points] == [
        "Munich Test Cluster",
        "Osaka Test Cluster (approximate position)",
    ]
    assert [p.approximate for p in world_map.points] == [False, True]
    assert world_map.points[0].url == munich.get_absolute_url()
    by_url = {arc.url: arc for arc in world_map.arcs}
    assert by_url[in_force.get_absolute_url()].status == Agreement.Status.IN_FORCE
    assert by_url[expired.get_absolute_url()].status == Agreement.Status.EXPIRED
    assert by_url[in_force.get_absolute_url()].name == "Test accord in force (In force)"
    assert [status for status, _label in world_map.statuses] == ["in_force", "expired"]


def test_unpublished_agreements_and_unplaced_organisations_are_not_drawn():
    munich = placed("Munich Test Cluster", MUNICH)
    osaka = placed("Osaka Test Cluster", OSAKA)
    nowhere = factories.OrganizationFactory(name="Unplaced Test Cluster")
    agreement_between(munich, osaka, publication=Agreement.Publication.DRAFT)
    agreement_between(munich, nowhere)

    world_map = maps.agreement_map(Agreement.objects.published())

    assert [p.name for p in world_map.points] == ["Munich Test Cluster"]
    assert world_map.arcs == []  # one placed party: no line


def test_the_map_of_a_few_agreements_takes_three_queries(django_assert_num_queries):
    organizations = [placed(f"Test Cluster {i}", MUNICH if i % 2 else OSAKA) for i in range(6)]
    for a, b in itertools.pairwise(organizations):
        agreement_between(a, b)
    with django_assert_num_queries(3):  # agreement ids, placed parties, agreements with status
        world_map = maps.agreement_map(Agreement.objects.published().with_status())
    assert len(world_map.points) == 6 and len(world_map.arcs) == 5


def test_the_map_of_agreements_already_read_takes_no_query_and_is_the_same(
    django_assert_num_queries,
):
    organizations = [placed(f"Test Cluster {i}", MUNICH if i % 2 else OSAKA) for i in range(6)]
    organizations.append(factories.OrganizationFactory(name="Unplaced Test Cluster"))
    for a, b, c in zip(organizations, organizations[1:], organizations[2:], strict=False):
        agreement_between(a, b, c)
    agreement_between(organizations[0], terminated_on=datetime.date(2020, 1, 1))  # no arc
    agreements = Agreement.objects.published().with_status()
    loaded = list(agreements.with_parties())
    with django_assert_num_queries(0):
        world_map = maps.agreement_map(agreements, loaded=loaded)
    assert world_map == maps.agreement_map(agreements)
    assert len(world_map.points) == 6 and len(world_map.arcs) == 5


@pytest.fixture
def many(db):
    """More agreements than MAX_ARCS between organisations in two countries (synthetic)."""
    germany = factories.RegionFactory(name="Testgermany", slug="testgermany")
    bavaria = factories.SubdivisionFactory(name="Testbavaria", slug="testbavaria", parent=germany)
    city = Region.objects.create(name="Testmunich", slug="testmunich", kind="city", parent=bavaria)
    japan = factories.RegionFactory(name="Testjapan", slug="testjapan")
    osaka = factories.SubdivisionFactory(name="Testosaka", slug="testosaka", parent=japan)
    count = maps.MAX_ARCS + 5
    german = Organization.objects.bulk_create(
        Organization(
            name=f"Synthetic German Cluster {i}",
            slug=f"synthetic-de-{i}",
            kind="cluster",
            region=city,
            latitude=MUNICH[0],
            longitude=MUNICH[1],
            location_source="locality",
        )
        for i in range(count)
    )
    japanese = Organization.objects.bulk_create(
        Organization(
            name=f"Synthetic Japanese Cluster {i}",
            slug=f"synthetic-jp-{i}",
            kind="cluster",
            region=osaka,
            latitude=OSAKA[0],
            longitude=OSAKA[1],
            location_source="region",
        )
        for i in range(count)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Synthetic accord {i}",
            slug=f"synthetic-accord-{i}",
            kind="cooperation",
            state="concluded",
            signed_on=datetime.date(2015, 1, 1),
            term="open_ended",
            publication="published",
        )
        for i in range(count)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organization=organization, position=position)
        for agreement, a, b in zip(agreements, german, japanese, strict=True)
        for position, organization in enumerate((a, b))
    )
    return {"germany": germany, "japan": japan, "count": count}


def test_beyond_the_threshold_countries_are_clusters_and_pairs_bundles(
    many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        world_map = maps.agreement_map(Agreement.objects.published().with_status())
    assert world_map.aggregated
    names = [point.name for point in world_map.points]
    assert names == [
        f"Testgermany: {many['count']} organisations",
        f"Testjapan: {many['count']} organisations",
    ]
    assert world_map.points[0].url == many["germany"].get_absolute_url()
    assert world_map.points[0].count == many["count"]
    [bundle] = world_map.arcs
    assert bundle.count == many["count"]
    assert bundle.name == f"Testgermany ↔ Testjapan: {many['count']} agreements"
    assert bundle.url == reverse(
        "partnerships:region_pair", kwargs={"slug": "testgermany", "other_slug": "testjapan"}
    )


# The pages


def test_home_page_shows_the_map_with_links_in_the_svg_and_in_the_list(client):
    munich = placed("Munich Test Cluster", MUNICH)
    osaka = placed("Osaka Test Cluster", OSAKA)
    agreement = agreement_between(munich, osaka, title="Test accord")
    html = client.get(reverse("home")).content.decode()
    assert '<svg class="map"' in html
    assert "map/world.svg" in html
    # Each point and arc: in the SVG and in the list below it (and in the latest agreements).
    assert html.count(f'href="{munich.get_absolute_url()}"') >= 2
    assert html.count(f'href="{agreement.get_absolute_url()}"') >= 2
    assert '<a href="' + agreement.get_absolute_url() + '" class="arc s-in_force">' in html


def test_svg_numbers_are_not_localised_in_german(client):
    agreement_between(placed("Munich Test Cluster", MUNICH), placed("Osaka", OSAKA))
    html = client.get("/de/").content.decode()
    svg = html[
        html.index('<svg class="map"') : html.index("</svg>", html.index('<svg class="map"'))
    ]
    assert 'r="5"' in svg and "," not in svg.split("<title>")[0]


def test_organisation_page_maps_its_partners_only(client):
    munich = placed("Munich Test Cluster", MUNICH)
    osaka = placed("Osaka Test Cluster", OSAKA)
    stranger = placed("Unrelated Test Cluster", OSAKA)
    agreement_between(munich, osaka)
    agreement_between(osaka, stranger)
    html = client.get(munich.get_absolute_url()).content.decode()
    assert "Partners on the map" in html
    assert "Unrelated Test Cluster" not in html


def test_map_page_takes_the_agreement_list_filters(client, many):
    munich = placed("Lonely Test Cluster", MUNICH)
    other = placed("Other Test Cluster", OSAKA)
    agreement_between(munich, other, title="Filtered test accord")
    url = reverse("partnerships:agreement_map")
    everything = client.get(url).content.decode()
    assert "Testgermany ↔ Testjapan" in everything  # aggregated: many agreements
    filtered = client.get(url, {"organization": "lonely-test"}).content.decode()
    assert filtered.count("Filtered test accord (In force)") == 2  # the arc's title and list
    assert "Testgermany ↔ Testjapan" not in filtered


def test_agreement_list_links_to_the_same_filters_on_the_map(client):
    html = client.get(reverse("partnerships:agreement_list"), {"status": "in_force"}).content
    assert b'/en/map/?status=in_force"' in html


def test_region_and_region_pair_pages_show_the_map(client, many):
    assert b'<svg class="map"' in client.get(many["germany"].get_absolute_url()).content
    pair = reverse(
        "partnerships:region_pair", kwargs={"slug": "testgermany", "other_slug": "testjapan"}
    )
    assert b'<svg class="map"' in client.get(pair).content


def test_two_thousand_organisations_keep_the_home_page_within_its_budget(
    client, django_assert_max_num_queries
):
    """80 synthetic countries (more than MAX_CLUSTERS), 2,000 organisations, 1,000 agreements:
    the map shows the largest countries and pairs only, in the same number of queries."""
    from tests.test_page_budgets import BUDGETS

    countries = Region.objects.bulk_create(
        Region(name=f"Synthland {i}", slug=f"synthland-{i}", kind="country") for i in range(80)
    )
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Synthetic Cluster {i}",
            slug=f"synthetic-cluster-{i}",
            kind="cluster",
            region=countries[i % 80],
            latitude=-50 + (i % 80) * 1.3,
            longitude=-175 + (i % 80) * 4.4,
            location_source="locality",
        )
        for i in range(2000)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Synthetic accord {i}",
            slug=f"synthetic-accord-{i}",
            kind="cooperation",
            state="concluded",
            signed_on=datetime.date(2000 + i % 25, 1, 1),
            term="open_ended",
            publication="published",
        )
        for i in range(1000)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organization=organization, position=position)
        for i, agreement in enumerate(agreements)
        for position, organization in enumerate(
            (organizations[2 * i], organizations[(2 * i + 13) % 2000])
        )
    )

    with django_assert_max_num_queries(5):  # first ids, all ids, countries, pairs, their regions
        world_map = maps.agreement_map(Agreement.objects.published())
    assert world_map.aggregated and world_map.truncated
    assert len(world_map.points) == maps.MAX_CLUSTERS
    assert 0 < len(world_map.arcs) <= maps.MAX_BUNDLES

    max_bytes, max_queries = BUDGETS["home"]
    with django_assert_max_num_queries(max_queries):
        response = client.get(reverse("home"))
    assert len(response.content) < max_bytes


def test_the_unfiltered_map_is_one_cached_summary_per_language(client, settings):
    """Home and map page share the map of everything, cached per language: its links keep the
    language of the page that asks, whoever asked first."""
    settings.PORTAL_SUMMARY_CACHE = True
    # Tests roll back, so the content generation (part of the key) repeats: start empty.
    caches[settings.PORTAL_PAGE_CACHE_ALIAS].clear()
    munich = placed("Munich Test Cluster", MUNICH)
    agreement_between(munich, placed("Osaka Test Cluster", OSAKA))

    client.get("/en/map/")  # computes and caches the English map
    html = client.get("/de/map/").content.decode()

    assert f'href="/de/organizations/{munich.slug}/"' in html
    assert f'href="/en/organizations/{munich.slug}/"' not in html


def test_map_fit_is_the_box_around_the_regions_positioned_organisations(
    organization_factory, region_factory
):
    region = region_factory()
    placed = {"location_source": "locality"}
    organization_factory(region=region, latitude=48.1, longitude=11.6, **placed)
    organization_factory(region=region, latitude=34.7, longitude=135.5, **placed)
    organization_factory(region=region_factory(), latitude=-33.9, longitude=18.4, **placed)

    x, y, w, h = (float(n) for n in map_fit([region.pk]).split())

    west, north = equal_earth(11.6, 48.1)
    east, south = equal_earth(135.5, 34.7)
    assert (x, x + w) == pytest.approx((west, east), abs=0.1)
    assert y == pytest.approx(north, abs=0.1)
    assert y + h >= south - 0.1


def test_map_fit_of_a_region_without_positions_is_empty(region_factory):
    assert map_fit([region_factory().pk]) == ""


def test_a_filtered_map_is_a_cached_summary_per_filter(client, settings, db):
    """A country's agreements are thousands at 100,000 organisations: the filtered map is read
    once per content generation and filter, then from the cache (issue 22)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PORTAL_SUMMARY_CACHE = True
    settings.PORTAL_PAGE_CACHE = False
    caches["default"].clear()
    north = placed("Map North", (Decimal("48.1"), Decimal("11.6")))
    south = placed("Map South", (Decimal("34.7"), Decimal("135.5")))
    agreement = factories.AgreementFactory(title="Mapped cooperation")
    for position, organization in enumerate((north, south)):
        factories.AgreementPartyFactory(
            agreement=agreement, organization=organization, position=position
        )
    url = reverse("partnerships:agreement_map")

    def queries(params: dict[str, str]) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url, params).content.decode()
        return len(captured), body

    cold, first = queries({"kind": "cooperation"})
    warm, again = queries({"kind": "cooperation"})
    _other, none = queries({"kind": "mou"})

    assert warm < cold
    assert again == first and "Mapped cooperation" in first
    assert "Mapped cooperation" not in none
    caches["default"].clear()
