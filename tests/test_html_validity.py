"""Every public page type is valid HTML: the Nu HTML checker (vnu.jar) finds no errors.

A clearly synthetic portal is built once per module (per xdist worker), every page type is
rendered with the Django test client in English and Japanese and written to a file, and vnu
checks all files in one run (one JVM start). Each test then reads the errors of its page.

The checker is looked for in ``$PORTAL_VNU_JAR``, then ``var/vnu/node_modules/vnu-jar/build/
dist/vnu.jar`` (``make html-checker``), then ``node_modules/vnu-jar/build/dist/vnu.jar``; Java
on ``PATH``. Without either the tests are skipped with the reason — except in CI (``$CI`` set)
or with ``PORTAL_REQUIRE_BROWSER=1``, where they fail, as the browser tests do.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client, RequestFactory
from django.utils import translation

from organizations.logos import store_logo
from organizations.models import Organization, Region, Visibility
from partnerships.models import Agreement, AgreementParty, Document
from partnerships.views import PAGE_SIZE
from portal.views import permission_denied, server_error
from tests import factories, uploads
from tests.browser.helpers import browser_required

# Marks the tests as using the database, so that pytest-django sets up the test database that
# the module-scoped fixture fills (and rolls back) before the tests read its results.
pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ja", "fr"]
JAR_CANDIDATES = [
    Path("var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
    Path("node_modules/vnu-jar/build/dist/vnu.jar"),
]
VNU_TIMEOUT_SECONDS = 300
FICTIONAL_PHONE = "+442079460000"  # Ofcom's range for drama: 020 7946 0000–0999

# Page type → (path after the language prefix, expected status). Slugs are those of site_data().
PAGES = {
    "home": ("", 200),
    "agreement_list": ("agreements/", 200),
    "agreement_list_filtered": (
        "agreements/?region=example-state-north&organization=example-cluster-north"
        "&kind=renewal&status=in_force&focus=example-focus-health&year=2015&sort=oldest",
        200,
    ),
    "agreement_list_ignored_filter": ("agreements/?region=no-such-region&year=abc", 200),
    "agreement_list_empty": ("agreements/?kind=mou", 200),
    "agreement_list_page_2": ("agreements/?page=2", 200),
    "agreement_map": ("map/", 200),
    "agreement_map_filtered": ("map/?region=example-state-north&status=in_force", 200),
    "agreement_detail": ("agreements/example-renewal-2015/", 200),
    "agreement_detail_original": ("agreements/example-cooperation-2010/", 200),
    "organization_detail": ("organizations/example-cluster-north/", 200),
    "organization_detail_minimal": ("organizations/example-member-company/", 200),
    "organization_list": ("organizations/", 200),
    "organization_list_query": ("organizations/?q=Example", 200),
    "organization_list_region": ("organizations/?region=testland-north&q=Cluster", 200),
    "search": ("search/?q=Example", 200),
    "search_no_results": ("search/?q=%3Cscript%3E", 200),
    "privacy": ("privacy/", 200),
    "open_data": ("open-data/", 200),
    "region_list": ("regions/", 200),
    "region_detail": ("regions/testland-north/", 200),
    "region_detail_macro": ("regions/example-macro-region/", 200),
    "region_detail_empty": ("regions/testland-empty/", 200),
    "region_pair": ("regions/testland-north/testland-south/", 200),
    "widget_partners": ("embed/organizations/example-cluster-north/partners/", 200),
    "widget_region_pair": ("embed/regions/testland-north/testland-south/", 200),
    "event_list": ("events/", 200),
    "event_detail": ("events/example-partnering-days-2015/", 200),
    "event_detail_without_signings": ("events/example-fair-without-signings/", 200),
    "not_found": ("no-such-page/", 404),
}
# Not listed yet: the search page ("search/?q=Example"), still a redirect to the organisation
# list while it is being built on another branch.
# Error pages that no URL leads to here, rendered by calling their views with a request.
ERROR_VIEWS = {
    "permission_denied": (lambda request: permission_denied(request, PermissionDenied()), 403),
    "server_error": (server_error, 500),
}


def page_id(page_type: str, language: str) -> str:
    return f"{page_type}-{language}"


# Checked in the same run as the pages: proves that the checker's errors reach the tests.
CANARY = "known-invalid"
CANARY_HTML = '<!doctype html><html lang="en"><title>Canary</title><p><div>Block</div></p></html>'

PAGE_IDS = [
    page_id(page_type, language) for page_type in [*PAGES, *ERROR_VIEWS] for language in LANGUAGES
]


def no_checker(reason: str) -> NoReturn:
    """Skip locally; fail in CI or when the checks are required."""
    if browser_required():
        pytest.fail(f"{reason} (required: CI or PORTAL_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def find_vnu_jar() -> Path | None:
    """``$PORTAL_VNU_JAR`` when set (even if it is missing: a wrong setting is not ignored)."""
    if configured := os.environ.get("PORTAL_VNU_JAR"):
        return Path(configured) if Path(configured).is_file() else None
    candidates = [Path(settings.BASE_DIR) / candidate for candidate in JAR_CANDIDATES]
    return next((candidate for candidate in candidates if candidate.is_file()), None)


def site_data() -> None:
    """A small, clearly synthetic portal that fills every part of every page type."""
    health = factories.FocusAreaFactory(name="Example health research", slug="example-focus-health")
    testland_north = factories.RegionFactory(
        name="Testland North", slug="testland-north", iso_code="XN"
    )
    testland_south = factories.RegionFactory(
        name="Testland South", slug="testland-south", iso_code="XS"
    )
    state_north = factories.SubdivisionFactory(
        name="Example State North", slug="example-state-north", parent=testland_north
    )
    state_south = factories.SubdivisionFactory(
        name="Example State South", slug="example-state-south", parent=testland_south
    )
    city = factories.RegionFactory(
        name="Example City", slug="example-city", kind=Region.Kind.CITY, parent=state_north
    )
    macro = factories.RegionFactory(
        name="Example Macro-region", slug="example-macro-region", kind=Region.Kind.MACRO_REGION
    )
    macro.members.add(state_north)
    state_north.strengths.add(health)

    north = factories.OrganizationFactory(
        name="Example Cluster North",
        slug="example-cluster-north",
        short_name="ECN",
        legal_name="Example Cluster North e.V.",
        region=city,
        street_address="1 Example Street",
        postal_code="00001",
        website="https://north.example.org/",
        email="info@north.example.org",
        phone=FICTIONAL_PHONE,
        description='A synthetic cluster organisation.\n\nIt has <two> paragraphs & a "quote".',
        latitude=48.1,  # on the map (partnerships/maps.py)
        longitude=11.6,
        location_source=Organization.LocationSource.LOCALITY,
    )
    north.focus_areas.add(health)
    south = factories.OrganizationFactory(
        name="Example Cluster South",
        slug="example-cluster-south",
        short_name="ECS",
        kind=Organization.Kind.CLUSTER,
        region=state_south,
        website="https://south.example.org/",
        latitude=34.7,  # approximate: drawn differently
        longitude=135.5,
        location_source=Organization.LocationSource.REGION,
    )
    factories.OrganizationFactory(
        name="Example Member Company",
        slug="example-member-company",
        kind=Organization.Kind.COMPANY,
        region=state_south,
        parent=south,
    )
    factories.RegionFactory(name="Testland Empty", slug="testland-empty")
    people = [
        factories.PersonFactory(
            given_name="Testgiven", family_name=f"Testfamily{n}", slug=f"test-person-{n}"
        )
        for n in range(4)
    ]
    people[1].native_name = "テスト 太郎"
    people[1].native_name_reading = "てすと たろう"  # ruby on the Japanese pages naming them
    people[1].save()
    affiliation = factories.AffiliationFactory(
        person=people[0], organization=north, position="Test manager", visibility=Visibility.PUBLIC
    )
    affiliation.phone = FICTIONAL_PHONE
    affiliation.save()
    # North's partner profile (issue 22): every fact, so that the checker reads its markup.
    north.offers = 'Matchmaking & <site visits>.\n\nA second "paragraph".'
    north.seeks = "Partners for clinical trials."
    north.member_count, north.sme_count, north.languages = 120, 90, ["en", "ja"]
    north.international_contact = affiliation
    north.logo = store_logo(io.BytesIO(uploads.png()), default_storage)
    north.save()
    north.target_regions.add(state_south)

    fair = factories.EventFactory(
        name="Example Partnering Days 2015",
        slug="example-partnering-days-2015",
        description="A synthetic partnering event.",
        organizer=south,
        region=state_south,
        venue="Example Hall",
        website="https://days.example.org/",
    )
    factories.EventFactory(
        name="Example Fair Without Signings",
        slug="example-fair-without-signings",
        starts_on=datetime.date(2016, 5, 1),
        ends_on=datetime.date(2016, 5, 1),
    )

    original = factories.AgreementFactory(
        slug="example-cooperation-2010",
        title="Example cooperation agreement 2010",
        summary="A synthetic agreement.",
        signed_on=datetime.date(2010, 6, 1),
        term=Agreement.Term.FIXED,
        valid_until=datetime.date(2015, 5, 31),
        auto_renewal=True,
    )
    renewal = factories.AgreementFactory(
        slug="example-renewal-2015",
        title="Example renewal 2015",
        code="EX-2015",
        summary="The synthetic 2010 agreement, renewed.\n\nResearch & development <tools>.",
        terms="Open-ended; either party may end it with three months' notice.",
        kind=Agreement.Kind.RENEWAL,
        previous=original,
        lineage=Agreement.Lineage.RENEWS,
        signed_on=datetime.date(2015, 11, 2),
        effective_from=datetime.date(2015, 11, 2),
        notice_period=3,
        notice_period_unit="months",
        authentic_languages=["en", "ja"],
    )
    factories.AgreementFactory(
        slug="example-draft",
        title="Example draft agreement",
        state=Agreement.State.DRAFT,
        signed_on=None,
        publication="draft",
    )
    for agreement in (original, renewal):
        agreement.focus_areas.add(health)
        party_north = factories.AgreementPartyFactory(
            agreement=agreement,
            organization=north,
            position=0,
            role=AgreementParty.Role.COORDINATOR,
            role_description="Coordinates the synthetic exchange",
        )
        party_south = factories.AgreementPartyFactory(
            agreement=agreement, organization=south, position=1
        )
        factories.CooperationAreaFactory(agreement=agreement, description="Test exchange")
    batch = factories.AgreementFactory.create_batch(
        PAGE_SIZE, signed_on=datetime.date(2012, 1, 1)
    )  # two pages of agreements
    for agreement in batch:
        factories.AgreementPartyFactory(agreement=agreement, organization=south)
    batch[0].terminated_on = datetime.date(2013, 1, 1)
    batch[0].save()
    signing = factories.SigningEventFactory(
        agreement=renewal,
        occasion=fair,
        signed_on=fair.starts_on,
        place=state_south,
        venue="Example Hall, room 1",
        description="Signed on the first day.",
    )
    factories.SignatureFactory(
        signing_event=signing, person=people[0], party=party_north, capacity="Test manager"
    )
    factories.SignatureFactory(
        signing_event=signing, person=people[1], party=party_south, capacity="Test director"
    )
    factories.AttendanceFactory(
        signing_event=signing, person=people[2], capacity="Test minister", organization=south
    )
    factories.SigningEventFactory(
        agreement=original, signed_on=original.signed_on, place=state_north
    )
    factories.StatementFactory(
        agreement=renewal,
        person=people[1],
        organization=south,
        capacity="Test director",
        text="A synthetic quote about the renewal.\nIt has a <tag> & a second line.",
        original_language="ja",
    )
    factories.AgreementContactFactory(agreement=renewal, party=party_north, affiliation=affiliation)
    factories.DocumentFactory(
        agreement=renewal,
        kind=Document.Kind.PRESS_RELEASE,
        title="Example press release",
        url="https://north.example.org/press",
        language="de",
        published_on=datetime.date(2015, 11, 4),
    )
    factories.DocumentFactory(
        agreement=renewal,
        kind=Document.Kind.AGREEMENT_TEXT,
        title="Example text",
        url="",
        text="The synthetic text of the agreement.",
    )


@dataclass
class Page:
    path: str
    file: Path
    errors: list[str] = field(default_factory=list)


def render_pages(directory: Path) -> dict[str, Page]:
    client = Client()
    responses = {}
    for page_type, (path, expected_status) in PAGES.items():
        for language in LANGUAGES:
            url = f"/{language}/{path}"
            responses[page_id(page_type, language)] = (
                url,
                expected_status,
                client.get(url, HTTP_ACCEPT_LANGUAGE=language),
            )
    for page_type, (view, expected_status) in ERROR_VIEWS.items():
        for language in LANGUAGES:
            url = f"/{language}/"
            with translation.override(language):
                response = view(RequestFactory().get(url))
            responses[page_id(page_type, language)] = (
                f"{page_type} view",
                expected_status,
                response,
            )
    pages = {}
    for name, (url, expected_status, response) in responses.items():
        if response.status_code != expected_status:
            pytest.fail(f"{url} answered {response.status_code}, not {expected_status}")
        file = directory / f"{name}.html"
        file.write_bytes(response.content)
        pages[name] = Page(path=url, file=file)
    return pages


def run_vnu(java: str, jar: Path, pages: dict[str, Page]) -> None:
    """One vnu run over every file; each error is added to its page."""
    by_name = {page.file.name: page for page in pages.values()}
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [*command, *(str(page.file) for page in pages.values())],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT_SECONDS,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu gave no JSON report (exit {result.returncode}):\n"
            f"{result.stdout[:2000]}\n{result.stderr[:2000]}"
        )
    for message in report["messages"]:
        page = by_name.get(message.get("url", "").rsplit("/", 1)[-1])
        if page is None or message.get("type") == "non-document-error":
            pytest.fail(f"vnu could not check a page: {message}")
        if message.get("type") == "error":
            page.errors.append(describe(message))


@pytest.fixture(scope="module")
def checked_pages(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Page]:
    """Every page type in every language, rendered from synthetic data and checked by vnu."""
    java = shutil.which("java")
    jar = find_vnu_jar()
    if java is None:
        no_checker("No java on PATH for the Nu HTML checker (apt-get install default-jre-headless)")
    if jar is None:
        no_checker(
            f"The Nu HTML checker is not at PORTAL_VNU_JAR={os.environ['PORTAL_VNU_JAR']}"
            if os.environ.get("PORTAL_VNU_JAR")
            else "The Nu HTML checker is not installed: run `make html-checker` "
            "or set PORTAL_VNU_JAR to a vnu.jar"
        )
    directory = tmp_path_factory.mktemp("html")
    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        site_data()
        pages = render_pages(directory)
        transaction.set_rollback(True)
    canary = directory / f"{CANARY}.html"
    canary.write_text(CANARY_HTML)
    pages[CANARY] = Page(path="known-invalid markup", file=canary)
    run_vnu(java, jar, pages)
    return pages


def describe(message: dict) -> str:
    """One vnu error as text: line, message and the markup around it."""
    line = message.get("lastLine", message.get("firstLine", "end of file"))
    extract = " ".join((message.get("extract") or "").split())
    return f"line {line}: {message['message']}" + (f"\n        at: {extract}" if extract else "")


def test_checker_reports_the_errors_of_known_invalid_markup(checked_pages):
    first_lines = [error.splitlines()[0] for error in checked_pages[CANARY].errors]
    assert first_lines == ["line 1: No “p” element in scope but a “p” end tag seen."]


def test_a_checked_japanese_page_shows_a_name_with_its_reading_as_ruby(checked_pages):
    # The agreement's signatory and speaker has a reading: the checker has read ruby markup.
    html = checked_pages[page_id("agreement_detail", "ja")].file.read_text()

    assert "<ruby>テスト<rp>（</rp><rt>てすと</rt><rp>）</rp></ruby>" in html


@pytest.mark.parametrize("page", PAGE_IDS)
def test_page_is_valid_html(checked_pages, page):
    errors = checked_pages[page].errors
    assert not errors, f"{checked_pages[page].path} ({checked_pages[page].file}):\n" + "\n".join(
        errors
    )
