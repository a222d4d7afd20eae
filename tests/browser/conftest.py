"""Browser tests: Playwright drives a real Chromium against pytest-django's ``live_server``.

Chromium is looked for in this order: ``$PORTAL_CHROMIUM``; the build Playwright downloads
(``playwright install chromium``: ``~/.cache/ms-playwright`` or ``$PLAYWRIGHT_BROWSERS_PATH``); a
system Chromium or Chrome on ``PATH`` (Debian/Ubuntu: ``apt-get install chromium``). Without
one, the tests are skipped with the reason — except in CI (``$CI`` set) or with
``PORTAL_REQUIRE_BROWSER=1``, where they fail, so that a missing browser cannot pass unnoticed.

``live_server`` is session-wide (one server thread per pytest-xdist worker, on a free port) and
serves static files through the staticfiles finders, like ``StaticLiveServerTestCase``.

Two kinds of browser test, told apart by their fixtures (:func:`is_read_only`):

- **Read-only** tests use ``site_data`` (or ``page_urls``) and no database fixture (``db``,
  ``transactional_db``, a factory, ``admin_user``...): they only look at pages. They share one
  data set (:class:`SharedSite`), committed once and kept while they run one after the other; no
  flush after each. ``--dist loadfile`` (``make test``) runs each file's tests on one xdist
  worker in a row, so the set is built about once per file of read-only tests. A read-only test
  that changed public data fails (the content generation must not move); the set is flushed
  before any other test runs on that worker, and at the end of the session, so no other test
  ever sees it. (``--dist loadgroup`` with an ``xdist_group`` mark would make it once per worker,
  but pytest-xdist 3.8 cannot group under pytest 9.2: pytest-xdist issue 1386.)
- Every other test that uses ``live_server`` is **transactional** (pytest-django's
  ``transactional_db``): the data it creates is committed, so the server thread sees it, and
  the tables are flushed afterwards.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from organizations.logos import store_logo
from tests import factories, uploads
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


def build_site_data() -> SimpleNamespace:
    """A small, clearly synthetic portal: two clusters, two published agreements, one draft."""
    from partnerships.models import Agreement

    # Placed on the map (partnerships/maps.py); the southern one approximately.
    north = factories.OrganizationFactory(
        name="Example Cluster North",
        slug="example-cluster-north",
        short_name="ECN",
        latitude=48.1,
        longitude=11.6,
        location_source="locality",
    )
    south = factories.OrganizationFactory(
        name="Example Cluster South",
        slug="example-cluster-south",
        short_name="ECS",
        latitude=34.7,
        longitude=135.5,
        location_source="region",
    )
    focus = factories.FocusAreaFactory(name="Test regenerative medicine", slug="test-regen")
    original = factories.AgreementFactory(
        slug="example-cooperation-2010",
        title_en="Example cooperation agreement 2010",
        title_de="Beispiel-Kooperationsvereinbarung 2010",
        kind=Agreement.Kind.COOPERATION,
        summary="A synthetic agreement for browser tests.",
    )
    renewal = factories.AgreementFactory(
        slug="example-renewal-2015",
        title_en="Example renewal 2015",
        title_de="Beispiel-Verlängerung 2015",
        kind=Agreement.Kind.RENEWAL,
        previous=original,
        lineage=Agreement.Lineage.RENEWS,
        summary="The synthetic 2010 agreement, renewed.",
    )
    draft = factories.AgreementFactory(
        slug="example-draft",
        title_en="Example draft agreement",
        state=Agreement.State.DRAFT,
        signed_on=None,
        publication="draft",
    )
    for agreement in (original, renewal, draft):
        factories.AgreementPartyFactory(agreement=agreement, organization=north, position=0)
        factories.AgreementPartyFactory(agreement=agreement, organization=south, position=1)
        agreement.focus_areas.add(focus)
    # North's partner profile (issue 22): the page's profile section, its logo and contact.
    north.offers = "Synthetic matchmaking and site visits for partner clusters."
    north.seeks = "Synthetic partners for joint delegation visits."
    north.member_count, north.sme_count, north.languages = 120, 90, ["en", "de", "ja"]
    north.logo = store_logo(io.BytesIO(uploads.png()), default_storage)
    north.international_contact = factories.AffiliationFactory(
        organization=north, visibility="public"
    )
    north.save()
    north.target_regions.add(south.region)
    occasion = factories.EventFactory(name="Example Partnering Days 2015", slug="example-days-2015")
    factories.SigningEventFactory(
        agreement=renewal, occasion=occasion, signed_on=occasion.starts_on
    )
    return SimpleNamespace(
        north=north, south=south, original=original, renewal=renewal, draft=draft, focus=focus
    )


# --- Read-only tests: one shared data set -------------------------------------------------------

# Fixtures that write, or give the test its own (rolled back or flushed) database: a test that
# uses one of them is not read-only, even with site_data.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "admin_user",
        "admin_client",
        "django_user_model",
    }
)


def is_read_only(item: pytest.Item) -> bool:
    """A browser test that only reads the shared data set (see the module docstring)."""
    names = set(getattr(item, "fixturenames", ()))
    return "site_data" in names and not (
        names & DATABASE_FIXTURES
        or any(name.endswith("_factory") for name in names)
        or item.get_closest_marker("django_db")
    )


class SharedSite:
    """The read-only tests' data set (:func:`build_site_data`), committed in this worker's test
    database when the first of them needs it, flushed when another kind of test comes or the
    session ends - as pytest-django's ``transactional_db`` flushes after each test."""

    def __init__(self, django_db_blocker) -> None:
        self.blocker = django_db_blocker
        self.data: SimpleNamespace | None = None
        self.generation: str | None = None

    def get(self) -> SimpleNamespace:
        if self.data is None:
            with self.blocker.unblock():
                self.data = build_site_data()  # autocommit: each row is committed at once
                self.generation = content_generation()
        return self.data

    def assert_unchanged(self, test: str) -> None:
        """Any committed write to public data moves the content generation (organizations/
        generation.py): a read-only test must not have written."""
        with self.blocker.unblock():
            generation = content_generation()
        if generation != self.generation:
            self.drop()  # the next read-only test gets a fresh copy
            pytest.fail(
                f"{test} changed the shared data set of the read-only browser tests: give it a "
                "database fixture of its own (transactional_db, a factory) instead",
                pytrace=False,
            )

    def drop(self) -> None:
        if self.data is None:
            return
        from django.core.management import call_command

        with self.blocker.unblock():
            # What TransactionTestCase does after each test (without available_apps).
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database="default",
                reset_sequences=False,
                allow_cascade=False,
                inhibit_post_migrate=False,
            )
        self.data = self.generation = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Any other test that runs on this worker, in any directory, first gets the tables as
        transactional_db leaves them: the shared data set is flushed."""
        if not is_read_only(item):
            self.drop()


def content_generation() -> str | None:
    from django.apps import apps

    model = apps.get_model("core", "ContentGeneration")
    return model.objects.filter(pk=1).values_list("value", flat=True).first()


@pytest.fixture(scope="session")
def shared_site(request, django_db_setup, django_db_blocker) -> Iterator[SharedSite]:
    site = SharedSite(django_db_blocker)
    # A plugin, not a conftest hook: its pytest_runtest_setup sees the tests of every directory.
    request.config.pluginmanager.register(site, "portal-shared-site")
    yield site
    request.config.pluginmanager.unregister(site)
    site.drop()  # the session's end, an -x stop, Ctrl-C: the (reused) test database is left empty


@pytest.fixture
def site_data(shared_site) -> SimpleNamespace:
    """The read-only tests' data set, shared (see :class:`SharedSite`): do not change it."""
    return shared_site.get()


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker) -> Iterator[None]:
    """Overrides pytest-django's fixture of the same name (``pytest_django/fixtures.py``) in the
    browser tests: a read-only test reads the committed shared data set, with database access
    unblocked for the server thread, instead of getting ``transactional_db``."""
    if "live_server" not in request.fixturenames:
        yield
        return
    read_only = is_read_only(request.node)
    if not read_only:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    try:
        if read_only:
            site = request.getfixturevalue("shared_site")
            with django_db_blocker.unblock():
                yield
            site.assert_unchanged(request.node.nodeid)
        else:
            yield
    finally:
        live_server._live_server_modified_settings.disable()


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
