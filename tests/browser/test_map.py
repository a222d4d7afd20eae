"""The partnership map on each page that shows it: axe finds nothing serious, Tab reaches the
points (and the name is shown on focus), 360 px wide needs no horizontal scroll, a screenshot is
saved. And the README's screenshot of the home page's map, with the demo data."""

import math
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.browser.helpers import format_axe_violations

pytestmark = pytest.mark.browser

MAP_PAGES = ["home", "organization_detail", "region_detail", "region_pair", "agreement_map"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.mark.parametrize("page_type", MAP_PAGES)
def test_map_is_accessible_reachable_by_keyboard_and_fits_360_px(
    page, page_urls, page_type, screenshot_dir
):
    page.goto(page_urls[page_type])
    svg = page.locator("svg.map")
    assert svg.is_visible()
    assert svg.locator(".map-points a").count() == 2
    assert svg.locator(".map-arcs a").count() >= 1

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {page_type}:\n{format_axe_violations(blocking)}"

    # Tab until the first point of the map has the focus; its name is then shown under the map.
    first_point = svg.locator(".map-points a").first
    for _ in range(200):
        page.keyboard.press("Tab")
        if first_point.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first point of the map")
    name = first_point.locator("title").text_content()
    assert page.locator("[data-map-name]").text_content() == name
    # A visible focus style: the focused point's outline is the focus colour.
    stroke = first_point.locator("circle").evaluate("el => getComputedStyle(el).stroke")
    assert stroke == "rgb(179, 64, 10)"  # --focus
    page.screenshot(path=screenshot_dir / f"map-{page_type}-focus.png")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page_urls[page_type])
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page_type} scrolls sideways by {overflow}px at 360px"
    box = page.locator("svg.map").bounding_box()
    assert box is not None and box["width"] <= 360
    page.locator("svg.map").screenshot(path=screenshot_dir / f"map-{page_type}-360.png")


def test_map_prints(page, page_urls, screenshot_dir):
    page.goto(page_urls["home"])
    page.emulate_media(media="print")
    assert page.locator("svg.map").is_visible()
    assert page.locator(".map-lists a").count() >= 3  # the same links, as text
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


@pytest.mark.usefixtures("transactional_db")
def test_home_page_map_with_the_demo_data_for_the_readme(page, live_server, screenshot_dir):
    """docs/screenshots/map-home.png: the demo's organisations (Munich, Osaka) and agreements.
    Positions that the demo does not give yet are taken from the region's centre, or set here."""
    from django.core.management import call_command

    from organizations.models import Organization

    call_command("load_demo", verbosity=0)
    fallback = {"DE": (48.137, 11.575), "JP": (34.694, 135.502)}
    for organization in Organization.objects.filter(latitude__isnull=True).select_related(
        "region__parent__parent"
    ):
        region = organization.region
        while region is not None and region.latitude is None:
            region = region.parent
        if region is not None:
            position = (region.latitude, region.longitude)
        else:
            top = organization.region
            while top.parent is not None:
                top = top.parent
            position = fallback.get(top.iso_code, (0, 0))
        organization.latitude, organization.longitude = position
        organization.location_source = Organization.LocationSource.REGION
        organization.save(update_fields=["latitude", "longitude", "location_source"])

    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(live_server.url + "/en/")
    figure = page.locator(".world-map")
    assert page.locator("svg.map .map-arcs a").count() >= 1
    figure.scroll_into_view_if_needed()
    figure.screenshot(path=screenshot_dir / "map-home-demo.png")
    docs = Path(settings.BASE_DIR) / "docs" / "screenshots"
    figure.screenshot(path=docs / "map-home.png")


def view_box(page) -> list[float]:
    return [float(n) for n in page.locator("svg.map").get_attribute("viewBox").split()]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 780}]
)
def test_map_zooms_and_pans_with_the_keyboard_and_the_buttons(page, page_urls, viewport):
    """static/js/map.js: the first view fits the points drawn; + and - zoom, the arrow keys pan,
    0 goes back; the buttons do the same; zoomed out fully, the whole world shows."""
    page.set_viewport_size(viewport)
    page.goto(page_urls["agreement_map"])
    page.wait_for_load_state("networkidle")
    first = view_box(page)
    assert first[2] < 1000  # fitted to Munich and Osaka, not the whole world

    page.locator("svg.map .map-points a").first.focus()
    page.keyboard.press("+")
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(first[2] / 2, abs=0.2)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    panned = view_box(page)
    assert (panned[0], panned[1]) != (zoomed[0], zoomed[1])
    assert panned[2] == zoomed[2]
    page.keyboard.press("0")
    assert view_box(page) == first

    page.get_by_role("button", name="Zoom in").click()
    assert view_box(page)[2] == pytest.approx(first[2] / 2, abs=0.2)
    zoom_out = page.get_by_role("button", name="Zoom out")
    for _ in range(8):
        if zoom_out.is_disabled():
            break
        zoom_out.click()
    assert zoom_out.is_disabled()
    assert view_box(page)[2] == pytest.approx(1000, abs=0.2)
    page.get_by_role("button", name="First view").click()
    assert view_box(page) == first
    # Points keep their size on the screen whatever the zoom.
    assert page.locator("svg.map .map-points circle").first.bounding_box()["width"] < 16


def test_map_drags_to_pan(page, page_urls):
    page.goto(page_urls["agreement_map"])
    page.wait_for_load_state("networkidle")
    box = page.locator("svg.map").bounding_box()
    page.get_by_role("button", name="Zoom in").click()
    before = view_box(page)

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 100, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()

    assert view_box(page)[0] > before[0]  # dragged left: the view moved east
    assert page.url.endswith("/en/map/?status=in_force")  # no link followed


def test_map_links_are_also_a_list_behind_show_as_a_list(page, page_urls):
    page.goto(page_urls["region_pair"])
    lists = page.locator(".map-lists")
    assert not lists.is_visible()

    page.get_by_text("Show as a list").click()

    assert lists.is_visible()
    assert lists.locator("a").count() == page.locator("svg.map a").count()


@pytest.mark.usefixtures("transactional_db")
def test_map_clusters_points_that_overlap_and_opens_the_cluster_on_choice(page, live_server):
    """Three partners in and near Munich overlap at the first view of the hub's map (Munich to
    Osaka): one cluster of 3, reachable by keyboard; choosing it zooms in and shows each."""
    from tests import factories

    def organization(name, latitude, longitude):
        return factories.OrganizationFactory(
            name=name, latitude=latitude, longitude=longitude, location_source="locality"
        )

    hub = organization("Example Hub Munich", 48.14, 11.58)
    partners = [
        organization("Example Augsburg Partner", 48.37, 10.90),
        organization("Example Freising Partner", 48.40, 11.75),
        organization("Example Osaka Partner", 34.69, 135.50),
    ]
    for partner in partners:
        agreement = factories.AgreementFactory()
        factories.AgreementPartyFactory(agreement=agreement, organization=hub, position=0)
        factories.AgreementPartyFactory(agreement=agreement, organization=partner, position=1)

    page.goto(live_server.url + hub.get_absolute_url())
    page.wait_for_load_state("networkidle")
    cluster = page.locator("svg.map .map-js-cluster")
    assert cluster.count() == 1
    assert cluster.locator("text").text_content() == "3"
    assert page.locator("svg.map .map-points a.map-clustered").count() == 3
    assert "Example Augsburg Partner" in cluster.get_attribute("aria-label")

    cluster.focus()
    page.keyboard.press("Enter")

    assert page.locator("svg.map .map-js-cluster").count() == 0
    assert page.locator("svg.map .map-points a.map-clustered").count() == 0


def test_a_region_page_map_first_fits_the_region_and_a_pair_page_both_regions(page, page_urls):
    """data-map-fit (partnerships/maps.py map_fit): the region's own organisations, not every
    partner worldwide; a region pair's map spans both regions."""
    page.goto(page_urls["region_detail"])
    page.wait_for_load_state("networkidle")
    region = view_box(page)
    xs = [float(c.get_attribute("cx")) for c in page.locator("svg.map .map-points circle").all()]

    page.goto(page_urls["region_pair"])
    page.wait_for_load_state("networkidle")
    pair = view_box(page)

    inside = [region[0] < x < region[0] + region[2] for x in xs]
    assert any(inside) and not all(inside)  # the region's organisation, not its partner abroad
    assert region[2] < 100  # the region: a small part of the world (1,000 wide)
    assert region[2] < pair[2] < 1000  # both regions, still not the whole world


# How many organisations the README's zoomed map shows (generate_fake_data, over the demo): as
# its caption says; enough for clusters in every generated country, few enough to generate
# in a few seconds.
ZOOMED_MAP_ORGANIZATIONS = 600


@pytest.mark.usefixtures("transactional_db")
def test_zoomed_map_with_generated_data_for_the_readme(page, live_server, screenshot_dir):
    """docs/screenshots/map-zoomed.png: the map page with the demo and 600 generated
    organisations, zoomed in at Europe with Ctrl + wheel (static/js/map.js: zooms at the
    pointer), where the generated countries and the demo's Munich lie: points grouped per
    country, clusters with their number, the arcs leaving for Asia."""
    from django.core.management import call_command

    from partnerships.projection import equal_earth

    call_command("load_demo", verbosity=0)
    call_command("generate_fake_data", organizations=ZOOMED_MAP_ORGANIZATIONS, verbosity=0)

    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(live_server.url + "/en/map/")
    page.wait_for_load_state("networkidle")
    svg = page.locator("svg.map")
    svg.scroll_into_view_if_needed()
    first = view_box(page)
    box = svg.bounding_box()
    assert box is not None
    # Zoomed five times at the point that brings Central Europe (12° E, 48° N) to the middle
    # (the wheel keeps the point under the pointer where it is on the screen).
    x, y = equal_earth(12, 48)
    k = 5
    fixed_x = (x - (first[0] + first[2] / 2) / k) / (1 - 1 / k)
    fixed_y = (y - (first[1] + first[3] / 2) / k) / (1 - 1 / k)
    page.mouse.move(
        box["x"] + (fixed_x - first[0]) / first[2] * box["width"],
        box["y"] + (fixed_y - first[1]) / first[3] * box["height"],
    )
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200 * math.log(k))
    page.keyboard.up("Control")
    # The name of what the pointer crossed is written under the map: none in the picture.
    page.locator("[data-map-name]").evaluate("element => { element.textContent = ''; }")

    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(first[2] / k, rel=0.05)
    assert zoomed[0] < x < zoomed[0] + zoomed[2] and zoomed[1] < y < zoomed[1] + zoomed[3]
    inside = [
        zoomed[0] < float(circle.get_attribute("cx")) < zoomed[0] + zoomed[2]
        and zoomed[1] < float(circle.get_attribute("cy")) < zoomed[1] + zoomed[3]
        for circle in page.locator("svg.map .map-points circle").all()
    ]
    assert sum(inside) >= 5  # Europe's countries, each a point with its number
    figure = page.locator(".world-map")
    figure.screenshot(path=screenshot_dir / "map-zoomed.png")
    figure.screenshot(path=Path(settings.BASE_DIR) / "docs" / "screenshots" / "map-zoomed.png")
