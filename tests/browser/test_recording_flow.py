"""Issue 19's Kyoto memorandum, recorded by hand through the guided agreement page, in Chromium.

**Keiko** manages a Kyoto cluster; **Jean** a Lyon one (he does nothing here: the agreement is
recorded by one side). The City of Lyon, whose deputy mayor witnesses the signing, has no manager.
Keiko records, from the admin's start page, everything the issue's trial recorded:

- the memorandum (title, kind, concluded, signed on) with a fixed term of 5 years and a notice
  period of 6 months; two parties: Kyoto (prefilled) and Lyon;
- a signing at an event (the event created with the "+" next to it), with two signatories, each
  created with the "+": Kyoto's president (a hidden position at Kyoto) and Lyon's director (a
  public position at Lyon, the partner organisation — entered for the partner); and a witness
  (a person of no organisation, representing the City of Lyon);
- a quote in Japanese only, by Kyoto's signatory;
- two contacts: Kyoto's hidden one and Lyon's public one (the signatories' positions).

Page loads (documents in the main window, and each pop-up's form and save), clicks and typed or
chosen fields are counted like ``test_publication_journey``'s ``Counter`` and printed (``-s``);
a budget at the figures reached fails a regression. Before issue 19 the trial counted 14 page
loads (7 of them pop-ups, each counted once), 82 clicks and 65 fields for the same agreement.
What the manager no longer types: the signing's date (the agreement's), the party of each
signature and contact, the quote's organisation, capacity and original language (they follow
from the positions and the one language given), and no "Add another" for a new person's
position.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.access import MANAGERS_GROUP
from organizations.models import Affiliation, ClusterManager, Visibility
from partnerships.models import Agreement
from portal.roles import setup_roles
from tests.browser.test_publication_journey import PASSWORD, Counter, Person

TITLE = "Kyoto–Lyon memorandum of understanding"
QUOTE_JA = "リヨンとの協力により、会員企業の欧州進出を後押しします。"

# What the recording may cost at most (the figures reached, printed by the test).
BUDGET_PAGE_LOADS = 11
BUDGET_CLICKS = 33
BUDGET_FIELDS = 31


class Recorder(Person):
    """A ``Person`` who also opens the admin's "+" pop-ups: each pop-up's documents (its form
    and its save) count as page loads, its clicks and fields as the manager's."""

    def __init__(self, chromium, live_server, username: str):
        super().__init__(chromium, live_server, username)
        self.popups = 0

    @contextmanager
    def popup(self, opener):
        """Click the "+" ``opener``; inside the block ``self.page`` is the pop-up (also yielded),
        then its "Save" is clicked, which closes it."""
        with self.page.expect_popup() as info:
            self.click(opener)
        window = info.value
        self.popups += 1
        self.count.page_loads += 1  # the pop-up's form
        self.count.steps.append("(pop-up) " + window.url.removeprefix(self.live_server.url))
        window.wait_for_load_state()
        main = self.page
        self.page = window
        try:
            yield window
            with window.expect_event("close"):
                self.click(window.locator("input[name='_save']"))
            self.count.page_loads += 1  # the save, which closes the pop-up
        finally:
            self.page = main

    def add_row(self, group: str) -> None:
        """ "Add another …" of an inline (``group``: its id, e.g. "signing_events-group"),
        the last one: a nested inline's link comes after its parent's rows."""
        self.click(self.page.locator(f"#{group} a.djn-add-handler").last)


@pytest.fixture
def kyoto_and_lyon(organization_factory):
    setup_roles()
    managers = Group.objects.get(name=MANAGERS_GROUP)
    kyoto = organization_factory(name="Kyoto Life Science Cluster Test", short_name="KLSC")
    lyon = organization_factory(name="Lyon Biopole Cluster Test", short_name="LBCT")
    organization_factory(name="City of Lyon Test", short_name="CoLT")  # no manager
    User = get_user_model()
    for username, organization in (("keiko_kyoto", kyoto), ("jean_lyon", lyon)):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(managers)
        ClusterManager.objects.create(user=user, organization=organization)
    return {"kyoto": kyoto, "lyon": lyon}


def new_person(keiko: Recorder, opener, *, given: str, family: str, honorific="", position=None):
    """Create a person with the "+" next to ``opener``'s select; ``position``: (organisation,
    position, visibility) of a contact point given at the same time."""
    with keiko.popup(opener):
        if honorific:
            keiko.fill("#id_honorific_en", honorific)
        keiko.fill("#id_given_name", given)
        keiko.fill("#id_family_name", family)
        if position is not None:
            organization, title, visibility = position
            # (The new person's page starts with one empty position row.)
            keiko.choose_in_autocomplete("affiliations-0-organization", organization)
            keiko.fill("#id_affiliations-0-position_en", title)
            keiko.select("#id_affiliations-0-visibility", visibility)


@pytest.mark.browser
def test_kyoto_records_the_full_memorandum_by_hand(chromium, live_server, kyoto_and_lyon):
    keiko = Recorder(chromium, live_server, "keiko_kyoto")
    page = keiko.page
    try:
        keiko.log_in()
        keiko.count = Counter()  # from the admin's start page on
        keiko.follow(page.get_by_role("link", name="Record an agreement"))
        # --- The add page: title, kind, dates and term; Kyoto is prefilled, Lyon chosen --------
        keiko.fill("#id_title_en", TITLE)
        keiko.select("#id_kind", Agreement.Kind.MOU)
        keiko.select("#id_state", Agreement.State.CONCLUDED)
        keiko.fill("#id_signed_on", "2026-05-12")
        keiko.select("#id_term", Agreement.Term.FIXED)
        keiko.fill("#id_term_length", "5")  # years: the unit's default
        keiko.fill("#id_notice_period", "6")  # months: the unit's default
        keiko.choose_in_autocomplete("parties-1-organization", "Lyon Biopole Cluster Test")
        with page.expect_navigation():
            keiko.click("input[name='_continue']")

        # --- The signing, at an event ------------------------------------------------------------
        keiko.add_row("signing_events-group")
        signing_date = page.input_value("#id_signing_events-0-signed_on")  # the agreement's
        with keiko.popup(page.locator("#add_id_signing_events-0-occasion")):
            keiko.fill("#id_name_en", "Kyoto Bio Partnering Days 2026 (test)")
            keiko.fill("#id_starts_on", "2026-05-11")
            keiko.fill("#id_ends_on", "2026-05-13")
        # Kyoto's signatory: a hidden position at Kyoto (capacity follows from it).
        keiko.add_row("signing_events-0-signatures-group")
        new_person(
            keiko,
            page.locator("#add_id_signing_events-0-signatures-0-person"),
            honorific="Prof.",
            given="Hiroshi",
            family="Example",
            position=("Kyoto Life Science Cluster Test", "President", Visibility.HIDDEN),
        )
        # Lyon's signatory: a public position at Lyon, the partner (entered for the partner).
        keiko.add_row("signing_events-0-signatures-group")
        new_person(
            keiko,
            page.locator("#add_id_signing_events-0-signatures-1-person"),
            honorific="Prof. Dr.",
            given="Jean",
            family="Sample",
            position=("Lyon Biopole Cluster Test", "Director", Visibility.PUBLIC),
        )
        # The witness: Lyon's deputy mayor, of no organisation of the portal's managers.
        keiko.add_row("signing_events-0-attendances-group")
        new_person(
            keiko,
            page.locator("#add_id_signing_events-0-attendances-0-person"),
            given="Marie",
            family="Exemple",
        )
        keiko.fill("#id_signing_events-0-attendances-0-capacity_en", "Deputy Mayor, witness")
        keiko.choose_in_autocomplete(
            "signing_events-0-attendances-0-organization", "City of Lyon Test"
        )

        # --- A quote in Japanese only, by Kyoto's signatory ------------------------------------
        keiko.add_row("statements-group")
        # (Its organisation, capacity and original language follow from the speaker's position
        # and the one language given.)
        keiko.choose_in_autocomplete("statements-0-person", "Hiroshi Example")
        japanese_tabs = page.locator("#statements-0 a[href='#tab_id_statements-0-text_ja']")
        tab_bars = japanese_tabs.count()  # one: an added row's fields are tabbed once
        keiko.click(japanese_tabs.last)
        keiko.fill("#id_statements-0-text_ja", QUOTE_JA)

        # --- Contacts: Kyoto's hidden one, Lyon's public one -----------------------------------
        # (The party each signatory and contact is for follows from their position.)
        keiko.add_row("contacts-group")
        keiko.choose_in_autocomplete("contacts-0-affiliation", "Hiroshi Example")
        keiko.add_row("contacts-group")
        keiko.choose_in_autocomplete("contacts-1-affiliation", "Jean Sample")
        with page.expect_navigation():
            keiko.click("input[name='_continue']")
        saved_messages = keiko.messages()
    finally:
        keiko.close()

    count = keiko.count
    in_main_window = count.page_loads - 2 * keiko.popups
    print(  # the closing note quotes this
        f"\nRecording the Kyoto memorandum by hand (from the start page to the saved agreement):"
        f" {count}"
        f"\n  {in_main_window} pages in the main window, {keiko.popups} pop-ups"
        f" ({2 * keiko.popups} documents: each its form and its save);"
        f" {in_main_window + keiko.popups} page loads counting a pop-up once, as the trial did"
        f"\n  pages: {' → '.join(count.steps)}"
    )
    assert any("was changed successfully" in message for message in saved_messages)
    assert keiko.errors == []
    assert signing_date == "2026-05-12"
    assert tab_bars == 1
    agreement = Agreement.objects.get(title=TITLE)
    assert (agreement.kind, agreement.state) == (Agreement.Kind.MOU, Agreement.State.CONCLUDED)
    assert (agreement.term_length, agreement.term_length_unit) == (5, "years")
    assert (agreement.notice_period, agreement.notice_period_unit) == (6, "months")
    assert [p.organization for p in agreement.parties.order_by("position", "pk")] == [
        kyoto_and_lyon["kyoto"],
        kyoto_and_lyon["lyon"],
    ]
    [signing] = agreement.signing_events.all()
    assert signing.occasion.name == "Kyoto Bio Partnering Days 2026 (test)"
    signatures = {
        s.person.family_name: (s.party.organization, s.capacity)
        for s in signing.signatures.select_related("person", "party__organization")
    }
    assert signatures == {
        "Example": (kyoto_and_lyon["kyoto"], "President"),
        "Sample": (kyoto_and_lyon["lyon"], "Director"),
    }
    # The partner's signatory has a position at the partner, entered for it by Kyoto.
    lyon_position = Affiliation.objects.get(person__family_name="Sample")
    assert lyon_position.organization == kyoto_and_lyon["lyon"]
    assert lyon_position.entered_by == kyoto_and_lyon["kyoto"]
    [witness] = signing.attendances.select_related("person", "organization")
    assert (witness.person.given_name, witness.organization.name) == ("Marie", "City of Lyon Test")
    [quote] = agreement.statements.all()
    assert (quote.text_ja, quote.text_en, quote.original_language) == (QUOTE_JA, "", "ja")
    assert (quote.organization, quote.capacity_en) == (kyoto_and_lyon["kyoto"], "President")
    contacts = {
        c.party.organization_id: c.affiliation.visibility
        for c in agreement.contacts.select_related("party", "affiliation")
    }
    assert contacts == {
        kyoto_and_lyon["kyoto"].pk: Visibility.HIDDEN,
        kyoto_and_lyon["lyon"].pk: Visibility.PUBLIC,
    }
    # The budget: the figures reached (before issue 19: 14 page loads, 82 clicks, 65 fields).
    assert count.page_loads <= BUDGET_PAGE_LOADS, count
    assert count.clicks <= BUDGET_CLICKS, count
    assert count.fields <= BUDGET_FIELDS, count
