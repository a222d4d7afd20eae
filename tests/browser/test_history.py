"""The history pages in a real browser: compare two versions of an organisation."""

import pytest
from django.urls import reverse

from core import history
from organizations.models import Organization


@pytest.mark.browser
def test_browser_compares_two_versions_in_every_language(
    page, live_server, admin_user, organization_factory, screenshot_dir
):
    organization = organization_factory(name="Bio Cluster Munich", email="info@example.org")
    organization.name_de = "Biocluster München"
    organization.name_ja = "ミュンヘン・バイオクラスター"
    organization.email = "office@example.org"
    organization.description_en = "Cluster management organisation of the Munich biotech cluster."
    organization.save()

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(
        live_server.url
        + reverse("admin:organizations_organization_history", args=[organization.pk])
    )
    page.click("text=Compare the selected versions")

    table = page.locator("#history-diff")
    assert "Biocluster München" in table.inner_text()
    assert "office@example.org" in table.inner_text()
    assert len(history.versions(Organization, organization.pk)) == 2
    page.screenshot(path=str(screenshot_dir / "history-diff.png"), full_page=True)
