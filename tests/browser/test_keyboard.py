"""Keyboard-only use: the skip link comes first and works; everything in main is reachable."""

import pytest

from tests.browser.helpers import (
    ACTIVE_KBD,
    MARK_FOCUSABLE_IN_MAIN,
    PAGE_TYPES,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_first_tab_reaches_the_skip_link(page, page_urls, page_type):
    page.goto(page_urls[page_type])

    page.keyboard.press("Tab")

    focused = page.evaluate(
        "() => ({tag: document.activeElement.tagName,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"tag": "A", "href": "#main"}
    assert page.locator(":focus").is_visible()


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_skip_link_moves_focus_to_main(page, page_urls, page_type):
    page.goto(page_urls[page_type])

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_link_and_control_in_main_is_reachable_with_tab(page, page_urls, page_type):
    page.goto(page_urls[page_type])
    focusable = page.evaluate(MARK_FOCUSABLE_IN_MAIN)
    total_in_page = page.evaluate(
        "() => document.querySelectorAll('a[href], button, input, select, textarea, summary,"
        " [tabindex]').length"
    )

    reached = set()
    for _ in range(total_in_page + 5):
        page.keyboard.press("Tab")
        kbd = page.evaluate(ACTIVE_KBD)
        if kbd is not None:
            reached.add(int(kbd))

    assert focusable, "main has no link or control at all"
    missed = [html for index, html in enumerate(focusable) if index not in reached]
    assert not missed, "Not reachable with Tab:\n" + "\n".join(missed)
