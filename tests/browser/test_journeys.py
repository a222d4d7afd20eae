"""A visitor browses agreements, filters them, opens one and switches language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser


def test_agreement_list_shows_published_agreements_and_hides_drafts(page, page_urls, site_data):
    page.goto(page_urls["agreement_list"])

    main = page.locator("main")
    assert main.locator("h1").is_visible()
    assert main.get_by_role("link", name=site_data.renewal.title_en).count() == 1
    assert main.get_by_role("link", name=site_data.original.title_en).count() == 1
    assert site_data.draft.title_en not in main.inner_text()


def test_filtering_the_agreement_list_by_kind_keeps_only_matching_agreements(
    page, page_urls, site_data
):
    page.goto(page_urls["agreement_list"])

    form = page.locator("main form[method=get]").first
    form.locator("select[name=kind]").select_option("renewal")
    form.locator("button[type=submit], input[type=submit]").first.click()

    page.wait_for_url(re.compile(r"[?&]kind=renewal"))
    main = page.locator("main")
    assert main.get_by_role("link", name=site_data.renewal.title_en).count() == 1
    assert main.get_by_role("link", name=site_data.original.title_en).count() == 0


def test_opening_an_agreement_from_the_list_shows_its_page(page, page_urls, site_data, live_server):
    page.goto(page_urls["agreement_list"])

    page.locator("main").get_by_role("link", name=site_data.renewal.title_en).first.click()

    page.wait_for_url(page_urls["agreement_detail"])
    assert page.locator("main h1").inner_text().strip() == site_data.renewal.title_en


def test_switching_language_keeps_the_visitor_on_the_same_agreement(page, page_urls, site_data):
    page.goto(page_urls["agreement_detail"])

    page.locator('a[hreflang="de"]').first.click()

    with translation.override("de"):
        german_path = reverse(
            "partnerships:agreement_detail", kwargs={"slug": site_data.renewal.slug}
        )
    page.wait_for_url(re.compile(re.escape(german_path) + "$"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("main h1").inner_text().strip() == site_data.renewal.title_de


def test_organisation_list_leads_to_an_organisation_page(page, page_urls, site_data):
    page.goto(page_urls["organization_list"])

    page.locator("main").get_by_role("link", name=site_data.north.name).first.click()

    page.wait_for_url(page_urls["organization_detail"])
    assert site_data.north.name in page.locator("main h1").inner_text()
