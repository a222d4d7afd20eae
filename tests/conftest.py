"""Fixtures shared by the whole suite: every factory, as a fixture named after its model.

Also which tests depend on the database server (``PORTAL_TEST_SCOPE``, see
:data:`SERVER_INDEPENDENT`) and, for CI, a record of what each run executed
(``PORTAL_TEST_RECORD``).
"""

import json
import os
from pathlib import Path

import pytest
from django.utils import translation

from tests import factories
from tests.organizations.search_world import build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then: committed data left in a reused test database is flushed.

    ``make test`` reuses the test databases (``--reuse-db``). A run killed hard (SIGKILL, a
    crash) while a test had committed data - a transactional test, the read-only browser tests'
    shared set (tests/browser/conftest.py) - would leave it to the next run, whose tests expect
    empty tables (migrations create no such rows): flushed, as after a transactional test.
    """
    from django.apps import apps
    from django.core.management import call_command

    with django_db_blocker.unblock():
        models = [
            apps.get_model("organizations", "Region"),
            apps.get_model("organizations", "Organization"),
            apps.get_model("partnerships", "Agreement"),
        ]
        if any(model.objects.exists() for model in models):
            call_command("flush", verbosity=0, interactive=False, database="default")


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English. A request through the test client leaves its language active
    in the thread (LocaleMiddleware does not deactivate it), and modeltranslation then writes a
    factory's ``name=`` into ``name_de``/``name_ja`` of the next test, leaving ``name_en`` empty."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def region_factory(db):
    return factories.RegionFactory


@pytest.fixture
def subdivision_factory(db):
    return factories.SubdivisionFactory


@pytest.fixture
def focus_area_factory(db):
    return factories.FocusAreaFactory


@pytest.fixture
def organization_factory(db):
    return factories.OrganizationFactory


@pytest.fixture
def person_factory(db):
    return factories.PersonFactory


@pytest.fixture
def affiliation_factory(db):
    return factories.AffiliationFactory


@pytest.fixture
def event_factory(db):
    return factories.EventFactory


@pytest.fixture
def agreement_factory(db):
    return factories.AgreementFactory


@pytest.fixture
def agreement_party_factory(db):
    return factories.AgreementPartyFactory


@pytest.fixture
def cooperation_area_factory(db):
    return factories.CooperationAreaFactory


@pytest.fixture
def signing_event_factory(db):
    return factories.SigningEventFactory


@pytest.fixture
def signature_factory(db):
    return factories.SignatureFactory


@pytest.fixture
def attendance_factory(db):
    return factories.AttendanceFactory


@pytest.fixture
def statement_factory(db):
    return factories.StatementFactory


@pytest.fixture
def agreement_contact_factory(db):
    return factories.AgreementContactFactory


@pytest.fixture
def document_factory(db):
    return factories.DocumentFactory


@pytest.fixture
def world(db):
    """The search tests' regions and organisations (tests/organizations/search_world.py)."""
    return build_world()


# --- Which tests depend on the database server -------------------------------------------------
# CI runs the suite on two servers (.ci/run): the embedded PostgreSQL 18 and PostgreSQL 15. What
# the server can change - queries, constraints, triggers, search, migrations, backups - runs on
# both. These test files check what does not depend on it, and run once (on the first server):
# what a real browser shows, the HTML a validator reads, random input that must not cause a
# server error, static files, the import layers and the lock files. Matched by path, so a new
# test in one of these files or in tests/browser/ is run once too; any other test runs on both.
SERVER_INDEPENDENT = (
    "tests/browser/",  # Chromium: pages, keyboard, axe-core, maps, admin scripts, the CSP
    "tests/test_html_validity.py",  # the Nu HTML checker on every page type
    "tests/test_fuzz.py",  # Hypothesis: random URLs and admin form values, never a 500
    "tests/portal/test_api_schemathesis.py",  # the API against its own OpenAPI schema
    "tests/portal/test_static_cache_headers.py",  # collectstatic and WhiteNoise: no database
    "tests/portal/test_static_files.py",  # pages and the 500 page with and without collectstatic
    "tests/test_architecture.py",  # the import layers (import-linter, the migrations' strings)
    "tests/test_dependencies.py",  # the lock files against pyproject.toml
)
# PORTAL_TEST_SCOPE: "all" (the default), "server" (only the tests that depend on the server:
# CI's second server, `make test-fast`) or "once" (only the others). The rest is deselected.
SCOPES = ("all", "server", "once")


def is_server_independent(item: pytest.Item) -> bool:
    path = item.path.relative_to(item.config.rootpath).as_posix()
    return path.startswith(SERVER_INDEPENDENT)


@pytest.hookimpl(tryfirst=True)  # before -m reads the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_server_independent(item):
            item.add_marker(pytest.mark.server_independent)
    scope = current_scope()
    if scope == "all":
        return
    wanted = scope == "once"
    keep = [item for item in items if is_server_independent(item) == wanted]
    dropped = [item for item in items if is_server_independent(item) != wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def current_scope() -> str:
    scope = os.environ.get("PORTAL_TEST_SCOPE", "").strip() or "all"
    if scope not in SCOPES:
        raise pytest.UsageError(f"PORTAL_TEST_SCOPE={scope!r}: expected one of {', '.join(SCOPES)}")
    return scope


def pytest_report_header(config: pytest.Config) -> str:
    return f"PORTAL_TEST_SCOPE={current_scope()} (tests/conftest.py: SERVER_INDEPENDENT)"


# --- What a run selected and how each test ended (PORTAL_TEST_RECORD=path) ----------------------
# .ci/every_test_ran.py reads one record per server: each test passed on at least one. Written by
# the process that sees every report: the xdist controller (or the only process).
class RunRecord:
    def __init__(self, path: Path):
        self.path = path
        self.selected: set[str] = set()
        self.outcomes: dict[str, str] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:  # without xdist
        self.selected.update(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        self.selected.update(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        before = self.outcomes.get(report.nodeid, "passed")
        if report.failed or before == "failed":
            outcome = "failed"
        elif report.skipped or before == "skipped":
            outcome = "skipped"
        else:
            outcome = "passed"
        self.outcomes[report.nodeid] = outcome

    def pytest_sessionfinish(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"selected": sorted(self.selected), "outcomes": self.outcomes}
        self.path.write_text(json.dumps(record, indent=0, sort_keys=True))


def pytest_configure(config: pytest.Config) -> None:
    record = os.environ.get("PORTAL_TEST_RECORD")
    if record and not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(RunRecord(Path(record)), "portal-run-record")
