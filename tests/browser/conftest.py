"""Browser tests: Playwright drives a real Chromium against pytest-django's ``live_server``.

Chromium is looked for in this order: ``$PORTAL_CHROMIUM``; the build Playwright downloads
(``playwright install chromium``: ``~/.cache/ms-playwright`` or ``$PLAYWRIGHT_BROWSERS_PATH``); a
system Chromium or Chrome on ``PATH`` (Debian/Ubuntu: ``apt-get install chromium``). Without
one, the tests are skipped with the reason — except in CI (``$CI`` set) or with
``PORTAL_REQUIRE_BROWSER=1``, where they fail, so that a missing browser cannot pass unnoticed.

``live_server`` is session-wide (one server thread per pytest-xdist worker, on a free port),
serves static files through the staticfiles finders, like ``StaticLiveServerTestCase``, and
makes each test use ``transactional_db``: the data a test creates is committed, so the server
thread sees it, and the tables are flushed afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.browser.helpers import LAUNCH_ARGS, find_chromium, no_browser

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise refuse
# ORM calls from the test (factories) with SynchronousOnlyOperation. Nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TIMEOUT_MS = 15_000
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """A headless Chromium for the whole session (of this xdist worker)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("The playwright package is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        executable = find_chromium(playwright.chromium.executable_path)
        if executable is None:
            no_browser(
                "No Chromium found: set PORTAL_CHROMIUM, run `playwright install chromium`, "
                "or install a system Chromium (apt-get install chromium)"
            )
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class ThirdPartyRequests(list):
    """URLs the page tried to load from anywhere but the live server (they are blocked)."""


@pytest.fixture
def page(chromium, live_server) -> Iterator:
    """A fresh browser page in English, which cannot reach anything but the live server.

    ``page.third_party_requests`` lists what was blocked, ``page.failed_responses`` every
    response with an HTTP error status, ``page.console_errors`` the console's error messages.
    """
    origin = urlsplit(live_server.url)
    context = chromium.new_context(
        locale="en-GB",
        extra_http_headers={"Accept-Language": "en"},
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    blocked = ThirdPartyRequests()

    def only_live_server(route, request):
        url = urlsplit(request.url)
        if url.scheme in ("data", "blob") or url.netloc == origin.netloc:
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    context.route("**/*", only_live_server)
    browser_page = context.new_page()
    browser_page.third_party_requests = blocked
    browser_page.failed_responses = []
    browser_page.console_errors = []
    browser_page.on(
        "response",
        lambda response: (
            response.status >= 400
            and browser_page.failed_responses.append(f"{response.status} {response.url}")
        ),
    )
    browser_page.on(
        "console",
        lambda message: (
            message.type == "error" and browser_page.console_errors.append(message.text)
        ),
    )
    try:
        yield browser_page
    finally:
        context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # exist_ok: xdist workers race here
    return SCREENSHOTS


@pytest.fixture
def site_data(
    organization_factory,
    agreement_factory,
    agreement_party_factory,
    signing_event_factory,
    event_factory,
    focus_area_factory,
):
    """A small, clearly synthetic portal: two clusters, two published agreements, one draft."""
    from types import SimpleNamespace

    from partnerships.models import Agreement

    # Placed on the map (partnerships/maps.py); the southern one approximately.
    north = organization_factory(
        name="Example Cluster North",
        slug="example-cluster-north",
        short_name="ECN",
        latitude=48.1,
        longitude=11.6,
        location_source="locality",
    )
    south = organization_factory(
        name="Example Cluster South",
        slug="example-cluster-south",
        short_name="ECS",
        latitude=34.7,
        longitude=135.5,
        location_source="region",
    )
    focus = focus_area_factory(name="Test regenerative medicine", slug="test-regen")
    original = agreement_factory(
        slug="example-cooperation-2010",
        title_en="Example cooperation agreement 2010",
        title_de="Beispiel-Kooperationsvereinbarung 2010",
        kind=Agreement.Kind.COOPERATION,
        summary="A synthetic agreement for browser tests.",
    )
    renewal = agreement_factory(
        slug="example-renewal-2015",
        title_en="Example renewal 2015",
        title_de="Beispiel-Verlängerung 2015",
        kind=Agreement.Kind.RENEWAL,
        previous=original,
        lineage=Agreement.Lineage.RENEWS,
        summary="The synthetic 2010 agreement, renewed.",
    )
    draft = agreement_factory(
        slug="example-draft",
        title_en="Example draft agreement",
        state=Agreement.State.DRAFT,
        signed_on=None,
        publication="draft",
    )
    for agreement in (original, renewal, draft):
        agreement_party_factory(agreement=agreement, organization=north, position=0)
        agreement_party_factory(agreement=agreement, organization=south, position=1)
        agreement.focus_areas.add(focus)
    occasion = event_factory(name="Example Partnering Days 2015", slug="example-days-2015")
    signing_event_factory(agreement=renewal, occasion=occasion, signed_on=occasion.starts_on)
    return SimpleNamespace(
        north=north, south=south, original=original, renewal=renewal, draft=draft, focus=focus
    )


@pytest.fixture
def page_urls(live_server, site_data) -> dict[str, str]:
    """One URL per page type, in English."""
    from django.urls import reverse

    def url(name: str, **kwargs) -> str:
        return live_server.url + reverse(name, kwargs=kwargs or None)

    north_region = site_data.north.region
    south_region = site_data.south.region
    return {
        "home": url("home"),
        "agreement_list": url("partnerships:agreement_list"),
        "agreement_list_filtered": url("partnerships:agreement_list")
        + f"?kind=renewal&region={north_region.slug}",
        "agreement_map": url("partnerships:agreement_map") + "?status=in_force",
        "agreement_detail": url("partnerships:agreement_detail", slug=site_data.renewal.slug),
        "agreement_detail_ja": url(
            "partnerships:agreement_detail", slug=site_data.renewal.slug
        ).replace("/en/", "/ja/", 1),
        "organization_list": url("organizations:organization_list"),
        "organization_search": url("organizations:organization_list")
        + f"?q=Cluster&region={north_region.slug}",
        "organization_detail": url("partnerships:organization_detail", slug=site_data.north.slug),
        "region_list": url("organizations:region_list"),
        "privacy": url("privacy"),
        "region_detail": url("partnerships:region_detail", slug=north_region.slug),
        "region_pair": url(
            "partnerships:region_pair", slug=north_region.slug, other_slug=south_region.slug
        ),
        "event_list": url("partnerships:event_list"),
        "event_detail": url("partnerships:event_detail", slug="example-days-2015"),
        "site_search": url("search") + "?q=Example",
        "not_found": live_server.url + "/en/agreements/no-such-agreement/",
    }
