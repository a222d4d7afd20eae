"""A cluster manager records an agreement from its press release, in a real browser.

Jane manages Lakeside Robotics Alliance (a cluster manager, "Cluster managers" group). From the
admin's start page: Agreements → "Record from a press release" → paste the (fictional) release →
"Read the release" → the review shows the facts beside their sentences → "Create draft" → the
agreement's page. Page loads, clicks and typed fields are counted and printed (``-s``), with the
review page's height; a screenshot of the review is kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from core.access import MANAGERS_GROUP
from organizations.models import ClusterManager
from partnerships.models import Agreement
from portal.roles import setup_roles
from tests.browser.test_publication_journey import PASSWORD, Counter, Person

RELEASE = """Lakeside Robotics Alliance and Hilltop Sensor Cluster sign memorandum
Exampleton, April 1, 2027 – A memorandum of understanding between Lakeside Robotics Alliance and \
Hilltop Sensor Cluster was signed today in Exampleton. The memorandum was signed by Jane Example, \
CEO of Lakeside Robotics Alliance, and John Sample, President of Hilltop Sensor Cluster.
The memorandum is valid for five years. Either party may end it with six months' notice.
“This partnership opens the northern markets to our members,” said Jane Example, CEO of \
Lakeside Robotics Alliance.
Contact: Jane Example, Lakeside Robotics Alliance, jane@lakeside.example, +44 20 7946 0000
"""


@pytest.fixture
def jane(organization_factory, person_factory, affiliation_factory):
    setup_roles()
    lakeside = organization_factory(name="Lakeside Robotics Alliance")
    organization_factory(name="Hilltop Sensor Cluster")
    person = person_factory(given_name="Jane", family_name="Example", slug="jane-example")
    affiliation_factory(person=person, organization=lakeside)
    user = get_user_model().objects.create_user("jane", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    ClusterManager.objects.create(user=user, organization=lakeside)
    return user


@pytest.mark.browser
def test_a_manager_records_an_agreement_from_its_press_release(
    chromium, live_server, jane, screenshot_dir
):
    manager = Person(chromium, live_server, "jane")
    try:
        manager.log_in()
        manager.count = Counter()
        manager.follow(manager.page.locator("#content-main").get_by_role("link", name="Agreements"))
        manager.follow(manager.page.get_by_role("link", name="Record from a press release"))
        manager.fill("#id_text", RELEASE)
        with manager.page.expect_navigation():
            manager.click(manager.page.get_by_role("button", name="Read the release"))
        review_rows = manager.page.locator("table.intake-review tbody tr").count()
        marked = manager.page.locator("table.intake-review mark").all_inner_texts()
        height = manager.page.evaluate("document.documentElement.scrollHeight")
        manager.page.screenshot(path=str(screenshot_dir / "intake-review.png"), full_page=True)
        nothing_yet = not Agreement.objects.exists()
        with manager.page.expect_navigation():
            manager.click(manager.page.get_by_role("button", name="Create draft"))
        landed = manager.page.url
        messages = manager.messages()
        errors = list(manager.errors)
        counted = Counter(**vars(manager.count))
    finally:
        manager.close()

    print(f"\nIntake flow: {counted}; review page {height}px high, {review_rows} rows")
    assert nothing_yet
    agreement = Agreement.objects.get()
    assert landed.endswith(reverse("admin:partnerships_agreement_change", args=[agreement.pk]))
    assert any("created from the press release" in message for message in messages)
    assert agreement.publication == Agreement.Publication.DRAFT
    assert agreement.parties.count() == 2
    assert agreement.statements.count() == 1
    assert "Jane Example" in marked
    assert errors == []
    assert (counted.page_loads, counted.clicks, counted.fields) == (4, 4, 1)
