"""The embeddable widgets in Chromium: framed by another page they show, other portal pages
refuse the frame; axe-core finds no serious violation; nothing but the portal is requested."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.helpers import format_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def widget_urls(live_server, site_data) -> dict[str, str]:
    north, south = site_data.north, site_data.south
    return {
        "partners": live_server.url
        + reverse("partnerships:widget_partners", kwargs={"slug": north.slug}),
        "region_pair": live_server.url
        + reverse(
            "partnerships:widget_region_pair",
            kwargs={"slug": north.region.slug, "other_slug": south.region.slug},
        ),
    }


@pytest.mark.parametrize("widget", ["partners", "region_pair"])
def test_widget_has_no_serious_accessibility_violation(page, widget_urls, widget):
    page.goto(widget_urls[widget])

    results = Axe().run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, format_axe_violations(blocking)
    assert page.third_party_requests == []


def test_a_widget_shows_in_another_pages_frame_and_an_ordinary_page_does_not(
    page, widget_urls, live_server, site_data
):
    ordinary = live_server.url + reverse(
        "partnerships:organization_detail", kwargs={"slug": site_data.north.slug}
    )
    page.set_content(
        f'<iframe name="widget" src="{widget_urls["partners"]}"></iframe>'
        f'<iframe name="ordinary" src="{ordinary}"></iframe>'
    )
    page.wait_for_timeout(1500)

    widget = page.frame(name="widget")
    assert widget is not None and widget.locator("h1").count() == 1
    ordinary_frame = page.frame(name="ordinary")
    assert ordinary_frame is None or ordinary_frame.locator("main h1").count() == 0
