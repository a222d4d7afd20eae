"""The API documentation page (Swagger UI, vendored) in Chromium: it names its language, passes
axe-core, links back to the portal and loads nothing from elsewhere."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.helpers import format_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def docs(page, live_server, site_data):
    page.goto(live_server.url + reverse("api:api_docs"))
    page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI has drawn the operations
    return page


def test_api_docs_have_no_serious_accessibility_violation(docs):
    results = Axe().run(docs)

    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, format_axe_violations(blocking)


def test_api_docs_name_their_language_and_link_back_to_the_portal(docs):
    assert docs.locator("html").get_attribute("lang") == "en"
    assert docs.locator("header a[href='/en/']").count() == 1
    assert docs.third_party_requests == []
