"""The life of an agreement in a real browser (issue 21): a manager records an activity from the
agreement page in a few fields — timed, with its clicks and visible fields counted — and the
README's screenshots of the public timeline and of a funders' report (synthetic data)."""

import datetime
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.browser.test_agreement_page_length import VISIBLE_CONTROLS, login
from tests.personas import build_cast

DOCS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.mark.browser
def test_a_manager_adds_an_activity_from_the_agreement_page_in_a_few_fields(
    page, live_server, transactional_db
):
    from partnerships.models import Activity

    cast = build_cast()
    agreement = cast.records["partnerships.agreement"]
    login(page, live_server, cast.users["anna_biom_manager"])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("admin:partnerships_agreement_change", args=[agreement.pk]))

    started = time.monotonic()
    page.click("#add-activity")  # 1
    page.wait_for_selector("#id_kind")
    controls = page.evaluate(VISIBLE_CONTROLS)
    page.select_option("#id_kind", "delegation_visit")  # 2
    page.fill("#id_starts_on", "2026-03-14")  # 3
    page.fill("#id_description_en", "Synthetic delegation visit to Osaka")  # 4
    page.click("input[name=_save]")  # 5
    page.wait_for_selector(".messagelist .success")
    elapsed = time.monotonic() - started
    print(f"add activity: 5 actions, {controls} visible controls, {elapsed:.1f} s in the browser")

    added = Activity.objects.get(description_en="Synthetic delegation visit to Osaka")
    assert added.agreement_id == agreement.pk
    assert [p.organization.short_name for p in added.parties.all()] == ["BioM"]
    assert controls <= 20


def _synthetic_world():
    bavaria = factories.SubdivisionFactory(name="Bavaria (synthetic)", slug="synth-bavaria")
    kansai = factories.RegionFactory(name="Kansai (synthetic)", slug="synth-kansai")
    munich = factories.OrganizationFactory(name="Munich Bio Cluster (synthetic)", region=bavaria)
    osaka = factories.OrganizationFactory(name="Osaka Bio Cluster (synthetic)", region=kansai)
    agreement = factories.AgreementFactory(
        title="Synthetic cooperation agreement Munich–Osaka", signed_on=datetime.date(2021, 3, 1)
    )
    for organization in (munich, osaka):
        factories.AgreementPartyFactory(agreement=agreement, organization=organization)
    kinds = ["delegation_visit", "webinar", "matchmaking", "joint_event", "company_introduced"]
    for year in range(2021, 2026):
        for n, kind in enumerate(kinds[: 2 + year % 3]):
            factories.ActivityFactory(
                agreement=agreement,
                kind=kind,
                starts_on=datetime.date(year, 2 + 2 * n, 10 + n),
                place="Munich" if n % 2 else "Osaka",
                description=f"Synthetic {kind.replace('_', ' ')} {year}",
                companies=3 + n * 4,
                meetings=5 + n,
                funding=Decimal(20000 * (n % 2)),
            )
    return agreement


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_the_timeline_and_a_report_for_the_readme(page, live_server, screenshot_dir):
    agreement = _synthetic_world()
    page.set_viewport_size({"width": 1100, "height": 900})

    page.goto(live_server.url + agreement.get_absolute_url())
    timeline = page.locator("#activities")
    assert timeline.locator("li.activity").count() >= 10
    timeline.screenshot(path=screenshot_dir / "activity-timeline.png")
    timeline.screenshot(path=DOCS / "activity-timeline.png")

    page.goto(live_server.url + "/en/reports/regions/synth-bavaria/synth-kansai/2021-2025/")
    report = page.locator("article.report")
    assert page.locator("#activities-chart-caption").is_visible()
    report.screenshot(path=screenshot_dir / "funders-report.png")
    # The README shows the top: the figures and the two charts.
    box = report.bounding_box()
    assert box is not None
    page.screenshot(
        path=DOCS / "funders-report.png",
        full_page=True,
        clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": 1380},
    )
