"""Issue 19's journey in a real browser, every step after the first through a page an e-mail
linked:

- **Keiko** manages the Kyoto cluster. From her organisation's page she invites her colleague
  **Kenta** (name, e-mail, language).
- Kenta follows the link of the invitation mail, chooses a password, logs in and records a
  memorandum with Lyon on the guided add page (Kyoto prefilled as a party), saves, submits it for
  review and approves it for Kyoto.
- **Jean**, Lyon's manager, gets the "for your approval" mail, follows its link (logging in on the
  way), asks a question in the agreement's comment thread, approves and publishes. Kenta gets the
  comment by mail.

The recording flow's page loads, clicks and fields, and the add page's height and visible
controls at first load (1280 px wide), are printed (``-s``): the issue's closing note quotes them.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from core.access import MANAGERS_GROUP
from organizations.models import ClusterManager
from partnerships.models import Agreement
from portal.roles import setup_roles
from tests.browser.test_agreement_page_length import VISIBLE_CONTROLS
from tests.browser.test_publication_journey import PASSWORD, Counter, Person

TITLE = "Kyoto–Lyon memorandum recorded by an invited colleague"
NEW_PASSWORD = "kenta's own long pass phrase"  # noqa: S105 - a throwaway test account


def link_in(message, part: str) -> str:
    """The path of the first link in ``message`` containing ``part`` (the mails carry
    ``PORTAL_BASE_URL``; the browser uses the live server)."""
    url = next(word for word in re.findall(r"https?://\S+", message.body) if part in word)
    return re.sub(r"^https?://[^/]+", "", url)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def cast(organization_factory):
    setup_roles()
    managers = Group.objects.get(name=MANAGERS_GROUP)
    kyoto = organization_factory(name="Kyoto Life Science Cluster Test", short_name="KLSC")
    lyon = organization_factory(name="Lyon Biopole Cluster Test", short_name="LBCT")
    User = get_user_model()
    for username, organization in (("keiko_kyoto", kyoto), ("jean_lyon", lyon)):
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            email=f"{username}@example.org",
            first_name=username.split("_")[0].title(),
            last_name="Sample",
            is_staff=True,
        )
        user.groups.add(managers)
        ClusterManager.objects.create(user=user, organization=organization)
    return {"kyoto": kyoto, "lyon": lyon}


@pytest.mark.browser
def test_an_invited_colleague_records_and_the_partner_comments_approves_and_publishes(
    chromium, live_server, cast
):
    keiko = Person(chromium, live_server, "keiko_kyoto")
    kenta = Person(chromium, live_server, "kenta@example.org")
    jean = Person(chromium, live_server, "jean_lyon")
    try:
        # --- Keiko invites Kenta from her organisation's page ---------------------------------
        keiko.log_in()
        keiko.follow(
            keiko.page.locator(".manager-dashboard").get_by_role(
                "link", name="Kyoto Life Science Cluster Test"
            )
        )
        keiko.follow(keiko.page.get_by_role("link", name="Invite a manager"))
        keiko.fill("#id_name", "Kenta Sample")
        keiko.fill("#id_email", "kenta@example.org")
        keiko.select("#id_language", "en")
        with keiko.page.expect_navigation():
            keiko.click("input[type=submit]")
        invited_messages = keiko.messages()
        [invitation] = mails_to("kenta@example.org")

        # --- Kenta chooses a password through the mail's link, and logs in --------------------
        kenta.goto(link_in(invitation, "/welcome/"))
        kenta.fill("#id_new_password1", NEW_PASSWORD)
        kenta.fill("#id_new_password2", NEW_PASSWORD)
        with kenta.page.expect_navigation():
            kenta.click("input[type=submit]")
        kenta.follow(kenta.page.get_by_role("link", name="Log in"))
        kenta.fill("#id_username", "kenta@example.org")
        kenta.fill("#id_password", NEW_PASSWORD)
        with kenta.page.expect_navigation():
            kenta.click("input[type=submit]")

        # --- Kenta records the memorandum on the guided page -----------------------------------
        kenta.count = Counter()  # the recording flow, from the start page on
        kenta.follow(kenta.page.get_by_role("link", name="Record an agreement"))
        height = kenta.page.evaluate("() => document.documentElement.scrollHeight")
        controls = kenta.page.evaluate(VISIBLE_CONTROLS)
        kenta.fill("#id_title_en", TITLE)
        kenta.select("#id_kind", Agreement.Kind.MOU)
        kenta.select("#id_state", Agreement.State.CONCLUDED)
        kenta.fill("#id_signed_on", "2026-05-12")
        kenta.select("#id_term", Agreement.Term.FIXED)
        kenta.fill("#id_term_length", "5")
        kenta.fill("#id_notice_period", "6")
        kenta.click(kenta.page.locator("#parties-group .djn-add-item a.djn-add-handler").last)
        kenta.choose_in_autocomplete("parties-1-organization", "Lyon Biopole Cluster Test")
        with kenta.page.expect_navigation():
            kenta.click("input[name='_continue']")
        saved_messages = kenta.messages()
        kenta.press("Submit for review")
        kenta.press("Approve for my organisation")
        recorded = Counter(**vars(kenta.count))
        agreement = Agreement.objects.get(title=TITLE)

        # --- Jean follows the "for your approval" mail, comments, approves, publishes ---------
        [for_approval] = [
            m
            for m in mails_to("jean_lyon@example.org")
            if m.subject.startswith("For your approval")
        ]
        jean.goto(link_in(for_approval, "/partnerships/agreement/"))  # the login page first
        jean.fill("#id_username", "jean_lyon")
        jean.fill("#id_password", PASSWORD)
        with jean.page.expect_navigation():
            jean.click("input[type=submit]")
        jean.follow(jean.page.get_by_role("link", name="Read and comment"))
        jean.fill("#id_body", "Is the notice period six months for both of us?")
        with jean.page.expect_navigation():
            jean.click("input[type=submit]")
        jean.follow(jean.page.get_by_role("link", name="Back to the agreement (approve, publish)"))
        jean.press("Approve for my organisation")
        jean.press("Publish")
        jean_messages = jean.messages()
        jean.follow(jean.page.get_by_role("link", name="View on site"))
        public_heading = jean.page.locator("h1").inner_text()
        comment_mails = [m for m in mails_to("kenta@example.org") if "Comment" in m.subject]
    finally:
        for person in (keiko, kenta, jean):
            person.close()

    agreement.refresh_from_db()
    print(  # the closing note quotes this
        f"\nInvitation — Keiko: {keiko.count}"
        f"\nRecording flow — Kenta (record, save, submit, approve): {recorded}"
        f"\n  pages: {' → '.join(recorded.steps)}"
        f"\nAdd page at first load (1280 px): {height} px, {controls} visible controls"
        f"\nPartner — Jean (mail link, log in, comment, approve, publish, view): {jean.count}"
    )
    assert any("is invited" in message for message in invited_messages), invited_messages
    assert any("was added successfully" in message for message in saved_messages)
    assert any("now public" in message for message in jean_messages), jean_messages
    assert agreement.publication == Agreement.Publication.PUBLISHED
    assert agreement.parties.count() == 2
    assert TITLE in public_heading
    assert len(comment_mails) == 1
    assert keiko.errors == kenta.errors == jean.errors == []
