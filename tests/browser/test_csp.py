"""The Content-Security-Policy in a real Chromium: the public pages and the admin work under it
and the browser reports no violation (a violation is a console message "Refused to ...").

The admin's richest pages are driven: the agreement form with nested inlines, modeltranslation's
language tabs and select2 autocompletes; the changelist with its filters; the second factor's
enrolment page with its QR code.
"""

import pytest
from django.urls import reverse

ADD_URL = "/admin/partnerships/agreement/add/"


def collect_console(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return messages


def violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def log_in(page, live_server, admin_user) -> None:
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


@pytest.mark.browser
def test_the_admin_works_under_the_policy_without_a_violation(
    page, live_server, admin_user, organization_factory, agreement_party_factory, screenshot_dir
):
    organization_factory(name="Example Cluster Testland")
    agreement_party_factory()
    messages = collect_console(page)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    log_in(page, live_server, admin_user)
    page.goto(live_server.url + ADD_URL)
    page.locator("#parties-group .djn-add-item a.djn-add-handler").last.click()
    select = page.locator("select[name='parties-0-organization']")
    select.locator("xpath=following-sibling::span[contains(@class, 'select2')][1]").click()
    page.locator(".select2-container--open .select2-search__field").fill("Testland")
    page.locator(".select2-results__option", has_text="Example Cluster Testland").first.click()
    page.locator("a[href='#tab_id_title_de']").first.click()  # modeltranslation's tabs
    page.fill("#id_title_de", "Beispiel")
    page.goto(live_server.url + "/admin/partnerships/agreement/?q=Example")
    page.goto(live_server.url + "/admin/organizations/organization/add/")
    page.goto(live_server.url + reverse("admin:two_factor"))
    assert page.locator(".two-factor-qr svg").count() == 1
    page.screenshot(path=screenshot_dir / "admin-two-factor.png", full_page=True)

    assert violations(messages) == []
    assert page_errors == []


@pytest.mark.browser
def test_the_public_pages_work_under_the_policy_without_a_violation(page, page_urls):
    messages = collect_console(page)

    for url in page_urls.values():
        page.goto(url)

    assert violations(messages) == []


@pytest.mark.browser
def test_the_browser_reports_what_the_policy_blocks(page, live_server, db):
    """The check above can fail: an injected inline script is refused, and said so."""
    messages = collect_console(page)
    page.goto(live_server.url + "/en/")

    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = true"; document.body.append(s); }"""
    )

    assert page.evaluate("() => window.injected === undefined")
    assert violations(messages)
