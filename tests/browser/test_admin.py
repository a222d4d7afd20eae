"""The agreement admin in a real browser: parties typed on the page can be chosen at once.

Signatures pick the organisation they sign for among the party rows of the same page, before
anything is saved (``static/admin/js/party_choices.js`` keeps the choices in step).
"""

import pytest
from django.urls import reverse

from partnerships.models import Agreement, Signature

ADD_URL = "/admin/partnerships/agreement/add/"
CHANGELIST_URL = "/admin/partnerships/agreement/"


def choose_in_autocomplete(page, select_name: str, term: str) -> None:
    select = page.locator(f"select[name='{select_name}']")
    select.locator("xpath=following-sibling::span[contains(@class, 'select2')][1]").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=term).first.click()


def add_row(page, group_id: str) -> None:
    page.locator(f"#{group_id} .djn-add-item a.djn-add-handler").last.click()


@pytest.mark.browser
def test_browser_records_an_agreement_choosing_a_party_entered_on_the_same_page(
    page, live_server, admin_user, organization_factory, person_factory
):
    organization_factory(name="Example Cluster Testland")
    organization_factory(name="Example Bio Headquarters")
    person_factory(given_name="Testa", family_name="Signer")
    page_errors: list[str] = []

    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(live_server.url + ADD_URL)
    page.fill("#id_title_en", "Example agreement recorded in a browser")
    page.select_option("#id_kind", Agreement.Kind.COOPERATION)
    page.select_option("#id_state", Agreement.State.CONCLUDED)
    page.fill("#id_signed_on", "2015-11-02")
    page.select_option("#id_term", Agreement.Term.OPEN_ENDED)
    add_row(page, "parties-group")
    add_row(page, "parties-group")
    choose_in_autocomplete(page, "parties-0-organization", "Example Cluster Testland")
    choose_in_autocomplete(page, "parties-1-organization", "Example Bio Headquarters")
    add_row(page, "signing_events-group")
    page.fill("input[name='signing_events-0-signed_on']", "2015-11-02")
    add_row(page, "signing_events-0-signatures-group")
    choose_in_autocomplete(page, "signing_events-0-signatures-0-person", "Testa Signer")
    on_behalf_of = page.locator("select[name='signing_events-0-signatures-0-on_behalf_of']")
    # Listed as soon as the row is added: no focus needed first.
    choices = on_behalf_of.evaluate("s => Array.from(s.options).map(o => o.text)")
    on_behalf_of.select_option(label="Example Bio Headquarters")
    # The added signature row has one set of language tabs (see nested_translation_tabs.js).
    capacity_tabs = (
        page.locator("#signing_events-0-signatures-0 .ui-tabs")
        .filter(has=page.locator("#id_signing_events-0-signatures-0-capacity_de"))
        .count()
    )
    page.click("input[name='_save']")
    page.wait_for_url(live_server.url + CHANGELIST_URL)

    assert choices == ["---------", "Example Cluster Testland", "Example Bio Headquarters"]
    assert capacity_tabs == 1
    assert page_errors == []
    signature = Signature.objects.get()
    assert signature.party.organization.name == "Example Bio Headquarters"
    assert signature.party.agreement.title == "Example agreement recorded in a browser"


@pytest.mark.browser
def test_a_signing_added_on_the_change_page_starts_with_the_agreements_date_and_one_set_of_tabs(
    page, live_server, admin_user, agreement_party_factory
):
    agreement = agreement_party_factory(agreement__publication="draft").agreement
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:partnerships_agreement_change", args=[agreement.pk]))
    page.wait_for_load_state("load")  # the late tab handlers race with "load" (issue 19)

    add_row(page, "signing_events-group")
    add_row(page, "signing_events-0-signatures-group")
    add_row(page, "statements-group")
    signing_date = page.input_value("#id_signing_events-0-signed_on")
    # Each translated field of an added row in one set of language tabs, not two stacked (the
    # stacked bars came from a race with modeltranslation's late handlers: seen in the recording
    # journey, tests/browser/test_recording_flow.py, which fails without the fix).
    quote_tabs = page.locator("#statements-0 a[href='#tab_id_statements-0-text_ja']").count()
    venue_tabs = page.locator(
        "#signing_events-0 a[href='#tab_id_signing_events-0-venue_ja']"
    ).count()

    assert signing_date == "2015-11-02"  # the agreement's "signed on" (the factory's)
    assert (quote_tabs, venue_tabs) == (1, 1)


@pytest.mark.browser
def test_browser_in_another_time_zone_sees_no_time_zone_warning_next_to_dates(
    chromium, live_server, admin_user
):
    """Tokyo is 8 hours ahead of the server (Europe/Berlin): date fields say nothing about it."""
    context = chromium.new_context(locale="en-GB", timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.goto(live_server.url + ADD_URL)
        page.wait_for_selector("#id_signed_on + .datetimeshortcuts", state="attached")

        warnings = page.locator(".timezonewarning").count()
        calendars = page.locator(".datetimeshortcuts").count()
    finally:
        context.close()

    assert calendars >= 4  # the calendar shortcuts are still there
    assert warnings == 0
