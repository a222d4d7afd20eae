"""After a refused save of the agreement page, the focus is on the first field with an error
(partnerships/static/partnerships/admin/first_error.js), scrolled into view."""

import pytest
from django.urls import reverse

from tests.browser.test_agreement_page_length import login
from tests.personas import build_cast


@pytest.mark.browser
def test_the_first_error_takes_the_focus(page, live_server, transactional_db):
    cast = build_cast()
    login(page, live_server, cast.users["anna_biom_manager"])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("admin:partnerships_agreement_add"))

    page.fill("#id_title_en", "A memorandum with a wrong date")
    page.select_option("#id_kind", "mou")
    page.fill("#id_signed_on", "2026-13-45")
    with page.expect_navigation():
        page.click("input[name='_continue']")

    assert page.locator(".errornote").count() >= 1
    assert page.evaluate("() => document.activeElement.id") == "id_signed_on"
    assert page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
