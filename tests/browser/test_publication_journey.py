"""Two cluster managers record, approve and publish one agreement, in a real browser.

- **Anna** manages a Munich cluster; **Kenji** an Osaka one; **Sven** a Stockholm one, which has
  nothing to do with the agreement. All three are staff in the "Cluster managers" group
  (``setup_roles``) and log in through the admin's login page.
- Anna records the agreement (title, kind, concluded, signing date, both organisations as
  parties), saves, submits it for review and approves it for Munich. Kenji finds it among what
  waits for his approval on the admin's start page (the managers' dashboard), approves it for
  Osaka and publishes it. The public page shows it.
- Before it is published Sven finds it neither in the admin's list of agreements nor on the public
  site (404); afterwards he sees its public page like everyone else.

The recording flow's page loads, clicks and typed fields are counted and printed (``-s`` shows
them): the issue's closing note quotes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from core.access import MANAGERS_GROUP
from organizations.models import ClusterManager
from partnerships.models import Agreement
from portal.roles import setup_roles

PASSWORD = "a-long-test-password"  # noqa: S105 - a throwaway account of the test database
TITLE = "Munich–Osaka cooperation recorded in a browser"


@dataclass
class Counter:
    """What one person did in the browser: page loads (documents, not assets), clicks, fields."""

    page_loads: int = 0
    clicks: int = 0
    fields: int = 0
    steps: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.page_loads} page loads, {self.clicks} clicks, {self.fields} fields typed"


class Person:
    """A browser context for one user, counting what they do."""

    def __init__(self, chromium, live_server, username: str):
        self.live_server = live_server
        self.username = username
        self.context = chromium.new_context(
            locale="en-GB",
            extra_http_headers={"Accept-Language": "en"},
            viewport={"width": 1280, "height": 900},
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.count = Counter()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "framenavigated",
            lambda frame: frame == self.page.main_frame and self._loaded(frame.url),
        )

    def _loaded(self, url: str) -> None:
        self.count.page_loads += 1
        self.count.steps.append(url.removeprefix(self.live_server.url))

    def goto(self, path: str):
        return self.page.goto(self.live_server.url + path)

    def click(self, selector_or_locator) -> None:
        self.count.clicks += 1
        if isinstance(selector_or_locator, str):
            self.page.click(selector_or_locator)
        else:
            selector_or_locator.click()

    def fill(self, selector: str, value: str) -> None:
        self.count.fields += 1
        self.page.fill(selector, value)

    def select(self, selector: str, value: str) -> None:
        self.count.fields += 1
        self.page.select_option(selector, value)

    def choose_in_autocomplete(self, select_name: str, term: str) -> None:
        select = self.page.locator(f"select[name='{select_name}']")
        self.click(select.locator("xpath=following-sibling::span[contains(@class, 'select2')][1]"))
        self.fill(".select2-container--open .select2-search__field", term)
        self.click(self.page.locator(".select2-results__option", has_text=term).first)

    def log_in(self) -> None:
        self.goto(reverse("admin:login"))
        self.fill("#id_username", self.username)
        self.fill("#id_password", PASSWORD)
        self.click("input[type=submit]")
        self.page.wait_for_url(self.live_server.url + reverse("admin:index"))

    def follow(self, locator) -> None:
        """Click a link and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.click(locator)

    def press(self, label: str) -> None:
        """A button of the publication panel (each posts, then shows the agreement again)."""
        with self.page.expect_navigation():
            self.click(self.page.get_by_role("button", name=label))

    def messages(self) -> list[str]:
        return self.page.locator("ul.messagelist li").all_inner_texts()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def cast(organization_factory):
    setup_roles()
    managers = Group.objects.get(name=MANAGERS_GROUP)
    munich = organization_factory(name="Munich Biotech Cluster Test", short_name="MBCT")
    osaka = organization_factory(name="Osaka Bio Headquarters Test", short_name="OBHT")
    stockholm = organization_factory(name="Stockholm Life Cluster Test", short_name="SLCT")
    User = get_user_model()
    for username, organization in (
        ("anna_munich", munich),
        ("kenji_osaka", osaka),
        ("sven_stockholm", stockholm),
    ):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(managers)
        ClusterManager.objects.create(user=user, organization=organization)
    return {"munich": munich, "osaka": osaka, "stockholm": stockholm}


def public_path(slug: str) -> str:
    return reverse("partnerships:agreement_detail", kwargs={"slug": slug})


@pytest.mark.browser
def test_two_managers_record_approve_and_publish_an_agreement_a_third_sees_it_only_then(
    chromium, live_server, cast
):
    anna = Person(chromium, live_server, "anna_munich")
    kenji = Person(chromium, live_server, "kenji_osaka")
    sven = Person(chromium, live_server, "sven_stockholm")
    try:
        # --- Anna records the agreement and asks for approval ---------------------------------
        anna.log_in()
        anna.follow(anna.page.locator("#content-main").get_by_role("link", name="Agreements"))
        anna.follow(anna.page.get_by_role("link", name="Add agreement"))
        anna.fill("#id_title_en", TITLE)
        anna.select("#id_kind", Agreement.Kind.COOPERATION)
        anna.select("#id_state", Agreement.State.CONCLUDED)
        anna.fill("#id_signed_on", "2026-05-12")
        for _party in range(2):
            anna.click(anna.page.locator("#parties-group .djn-add-item a.djn-add-handler").last)
        anna.choose_in_autocomplete("parties-0-organization", "Munich Biotech Cluster Test")
        anna.choose_in_autocomplete("parties-1-organization", "Osaka Bio Headquarters Test")
        with anna.page.expect_navigation():
            anna.click("input[name='_continue']")  # "Save and continue editing"
        saved_messages = anna.messages()
        agreement = Agreement.objects.get(title=TITLE)
        anna.press("Submit for review")
        anna.press("Approve for my organisation")
        anna_messages = anna.messages()
        recorded_by_anna = Counter(**vars(anna.count))

        # --- Sven, managing an unrelated organisation, sees nothing of it yet ----------------
        sven.log_in()
        sven.goto(reverse("admin:partnerships_agreement_changelist"))
        sven_list_before = sven.page.locator("#content-main").inner_text()
        sven_change_before = sven.goto(
            reverse("admin:partnerships_agreement_change", args=[agreement.pk])
        ).status
        sven_public_before = sven.goto(public_path(agreement.slug)).status

        # --- Kenji finds it waiting for his approval, approves and publishes ----------------
        kenji.log_in()
        # The start page's dashboard lists what waits for him (before it: Agreements, then the
        # filter "Waiting for my approval" — two more page loads and clicks).
        waiting = kenji.page.locator("#dashboard-awaiting li").all_inner_texts()
        kenji.follow(kenji.page.locator("#dashboard-awaiting").get_by_role("link", name=TITLE))
        kenji.press("Approve for my organisation")
        kenji.press("Publish")
        kenji_messages = kenji.messages()
        kenji.follow(kenji.page.get_by_role("link", name="View on site"))
        public_heading = kenji.page.locator("h1").inner_text()

        # --- Now Sven sees the public page ----------------------------------------------------
        sven_public_after = sven.goto(public_path(agreement.slug)).status
        sven_heading_after = sven.page.locator("h1").inner_text()
    finally:
        for person in (anna, kenji, sven):
            person.close()

    agreement.refresh_from_db()
    print(  # the closing note quotes this
        f"\nRecording flow — Anna (log in, record, submit, approve): {recorded_by_anna}"
        f"\n  pages: {' → '.join(recorded_by_anna.steps)}"
        f"\nApproval flow — Kenji (log in, find, approve, publish, view): {kenji.count}"
        f"\n  pages: {' → '.join(kenji.count.steps)}"
    )
    assert any("was added successfully" in message for message in saved_messages)
    assert any("Munich Biotech Cluster Test" in m for m in anna_messages), anna_messages
    assert TITLE not in sven_list_before
    assert sven_change_before in (403, 404)  # the admin says "not found" or "forbidden"
    assert sven_public_before == 404
    assert len(waiting) == 1
    assert TITLE in waiting[0]
    assert any("now public" in message for message in kenji_messages), kenji_messages
    assert agreement.publication == Agreement.Publication.PUBLISHED
    assert {a.organization_id for a in agreement.approvals.all()} == {
        cast["munich"].pk,
        cast["osaka"].pk,
    }
    assert TITLE in public_heading
    assert sven_public_after == 200
    assert TITLE in sven_heading_after
    assert anna.errors == kenji.errors == sven.errors == []
