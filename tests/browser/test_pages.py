"""Each page type loads cleanly from the portal alone, and leaves a full-page screenshot."""

import pytest

from tests.browser.helpers import PAGE_TYPES, PAGE_TYPES_OK

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_requests_nothing_from_third_parties(page, page_urls, page_type):
    page.goto(page_urls[page_type])
    page.wait_for_load_state("networkidle")

    assert page.third_party_requests == []


@pytest.mark.parametrize("page_type", PAGE_TYPES_OK)
def test_page_loads_without_failed_requests_or_console_errors(page, page_urls, page_type):
    page.goto(page_urls[page_type])
    page.wait_for_load_state("networkidle")

    assert page.failed_responses == []
    assert page.console_errors == []


def test_the_not_found_page_answers_404_and_loads_everything_else(page, page_urls):
    response = page.goto(page_urls["not_found"])
    page.wait_for_load_state("networkidle")

    assert response.status == 404
    assert page.failed_responses == [f"404 {page_urls['not_found']}"]
    assert page.locator("main h1").count() == 1


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_full_page_screenshot_is_saved(page, page_urls, page_type, screenshot_dir):
    page.goto(page_urls[page_type])
    page.wait_for_load_state("networkidle")
    path = screenshot_dir / f"{page_type}-en.png"

    page.screenshot(path=path, full_page=True)

    assert path.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_fits_a_360_pixel_phone_without_horizontal_scrolling(page, page_urls, page_type):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page_urls[page_type])
    page.wait_for_load_state("networkidle")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    assert overflow <= 0


def test_phone_screenshot_of_an_agreement_is_saved(page, page_urls, screenshot_dir):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page_urls["agreement_detail"])
    page.wait_for_load_state("networkidle")
    path = screenshot_dir / "agreement_detail-en-360px.png"

    page.screenshot(path=path, full_page=True)

    assert path.read_bytes().startswith(PNG_SIGNATURE)
