"""On a 360×780 phone the content comes first (issue 22): the first result of each list and
detail page - a card, the map, the profile's heading - starts within the first screen, nothing
scrolls sideways, the filters are one tap away behind "Filter (n)", and the header's search and
languages too. A full-page screenshot of each page is saved (test-artifacts/screenshots)."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# page type -> the first result on the page
FIRST_RESULT = {
    "home": "main h1",
    "agreement_list": ".results .agreement-card",
    "agreement_list_filtered": ".results .agreement-card",
    "agreement_list_de": ".results .agreement-card",
    "agreement_map": "svg.map",
    "agreement_detail": "main h1",
    "agreement_detail_ja": "main h1",
    "agreement_detail_de": "main h1",
    "organization_list": ".results .organization-card",
    "organization_search": ".results .organization-card",
    "organization_detail": "main h1",
    "region_list": "#countries-title",
    "region_detail": "main h1",
    "region_pair": "main h1",
    "event_list": ".event-list > li",
    "event_detail": "main h1",
    "site_search": ".results li",
}

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth - window.innerWidth"


def url_of(page_urls: dict[str, str], page_type: str) -> str:
    if page_type.endswith("_de"):
        return page_urls[page_type.removesuffix("_de")].replace("/en/", "/de/", 1)
    return page_urls[page_type]


@pytest.mark.parametrize("page_type", FIRST_RESULT)
def test_first_result_starts_within_the_first_screen_of_a_phone(
    page, page_urls, page_type, screenshot_dir
):
    page.set_viewport_size(PHONE)
    page.goto(url_of(page_urls, page_type))
    page.wait_for_load_state("networkidle")

    first = page.locator(FIRST_RESULT[page_type]).first
    box = first.bounding_box()
    overflow = page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=screenshot_dir / f"{page_type}-360px.png", full_page=True)

    assert box is not None, f"no {FIRST_RESULT[page_type]} on {page_type}"
    assert box["y"] + min(box["height"], 48) <= PHONE["height"], (
        f"the first result of {page_type} starts at y={box['y']:.0f}px"
    )
    assert overflow <= 0, f"{page_type} scrolls sideways by {overflow}px at 360px"


@pytest.mark.parametrize("page_type", ["agreement_list_filtered", "agreement_map"])
def test_filters_are_one_tap_away_on_a_phone_and_shown_beside_the_results_on_a_desktop(
    page, page_urls, page_type
):
    page.set_viewport_size(PHONE)
    page.goto(page_urls[page_type])
    summary = page.locator(".filter-panel > summary")
    form = page.locator("form.filters")
    set_in_url = 2 if page_type == "agreement_list_filtered" else 1

    assert summary.inner_text() == f"Filter ({set_in_url})"
    assert not form.is_visible()
    summary.click()
    assert form.is_visible()
    assert page.locator("form.filters select").first.is_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(page_urls[page_type])
    assert form.is_visible()
    results = page.locator(".results").bounding_box()
    form_box = form.bounding_box()
    assert form_box is not None and results is not None
    assert form_box["x"] + form_box["width"] <= results["x"]  # beside, not above


def test_header_search_and_languages_are_one_tap_away_on_a_phone(page, page_urls):
    page.set_viewport_size(PHONE)
    page.goto(page_urls["agreement_list"])
    header = page.locator(".site-header").bounding_box()
    search = page.locator("#site-search-q")
    german = page.locator(".language-switcher a[hreflang=de]")

    assert header is not None and header["height"] <= 0.2 * PHONE["height"]
    assert not search.is_visible() and not german.is_visible()
    page.locator(".search-tool > summary").click()
    search.fill("Example")
    search.press("Enter")
    page.wait_for_url("**/search/?q=Example")
    assert page.locator(".results li").count() >= 1

    page.locator(".language-tool > summary").click()
    german.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"


def test_header_shows_search_and_languages_on_a_desktop(page, page_urls):
    page.set_viewport_size(DESKTOP)
    page.goto(page_urls["agreement_list"])

    assert page.locator("#site-search-q").is_visible()
    assert page.locator(".language-switcher a[hreflang=ja]").is_visible()
    assert not page.locator(".header-tool > summary").first.is_visible()


def test_long_german_words_are_hyphenated_not_cut(page, page_urls):
    page.set_viewport_size(PHONE)
    page.goto(url_of(page_urls, "agreement_detail_de"))
    title = page.locator("main h1")

    assert page.locator("html").get_attribute("lang") == "de"
    assert title.evaluate("el => getComputedStyle(el).hyphens") == "auto"
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth")
