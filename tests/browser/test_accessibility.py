"""axe-core (vendored in axe-playwright-python) finds no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import PAGE_TYPES, format_axe_violations

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_serious_or_critical_accessibility_violations(page, page_urls, page_type):
    page.goto(page_urls[page_type])

    results = Axe().run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {page_type}:\n{format_axe_violations(blocking)}"
