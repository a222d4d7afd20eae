import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from core.languages import language_codes
from organizations.models import Region, Visibility
from portal import sitemaps

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def parse(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - parses the portal's own response in a test


def index_entries(client) -> dict[str, str | None]:
    """{section page URL: lastmod} of /sitemap.xml, the index."""
    root = parse(client.get("/sitemap.xml"))
    return {
        entry.find("sm:loc", NS).text: getattr(entry.find("sm:lastmod", NS), "text", None)
        for entry in root.findall("sm:sitemap", NS)
    }


def page_urls(client, url: str) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of every <url> of one section page."""
    root = parse(client.get(url.removeprefix("http://testserver")))
    return {
        url.find("sm:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        for url in root.findall("sm:url", NS)
    }


def sitemap_urls(client) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of every <url> of every page the index lists."""
    found: dict[str, dict[str, str]] = {}
    for url in index_entries(client):
        found |= page_urls(client, url)
    return found


def test_sitemap_lists_a_published_agreement_in_every_language(client, agreement_factory):
    agreement = agreement_factory(slug="example-renewal")

    locs = sitemap_urls(client)

    for lang in ("en", "de", "ja", "fr"):
        assert f"http://testserver/{lang}/agreements/{agreement.slug}/" in locs


def test_sitemap_omits_an_unpublished_agreement(client, agreement_factory):
    agreement_factory(slug="secret-draft", publication="draft")

    locs = sitemap_urls(client)

    assert not [loc for loc in locs if "secret-draft" in loc]


def test_sitemap_gives_every_language_and_x_default_as_alternates(client, agreement_factory):
    agreement_factory(slug="example-renewal")

    alternates = sitemap_urls(client)["http://testserver/de/agreements/example-renewal/"]

    assert alternates == {
        "en": "http://testserver/en/agreements/example-renewal/",
        "de": "http://testserver/de/agreements/example-renewal/",
        "ja": "http://testserver/ja/agreements/example-renewal/",
        "fr": "http://testserver/fr/agreements/example-renewal/",
        "x-default": "http://testserver/agreements/example-renewal/",
    }


def test_x_default_url_redirects_to_the_visitors_language(client, agreement_factory):
    agreement_factory(slug="example-renewal")

    response = client.get("/agreements/example-renewal/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 302
    assert response["Location"] == "/de/agreements/example-renewal/"


def test_sitemap_urls_come_from_the_request_host_without_the_sites_framework(
    client, settings, agreement_factory
):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    agreement_factory(slug="example-renewal")

    index = client.get("/sitemap.xml", HTTP_HOST="portal.example.org", secure=True)
    page = client.get("/sitemap-agreements.xml", HTTP_HOST="portal.example.org", secure=True)

    assert b"<loc>https://portal.example.org/sitemap-agreements.xml</loc>" in index.content
    assert b"<loc>https://portal.example.org/en/agreements/example-renewal/</loc>" in page.content


def test_sitemap_lists_the_home_and_list_pages_in_every_language(client, db):
    locs = sitemap_urls(client)

    for path in ("", "agreements/", "organizations/", "regions/", "events/"):
        for lang in ("en", "de", "ja", "fr"):
            assert f"http://testserver/{lang}/{path}" in locs


def test_sitemap_lists_organisations(client, organization_factory):
    organization = organization_factory(slug="example-cluster-munich")

    locs = sitemap_urls(client)

    assert f"http://testserver/ja{organization.get_absolute_url()[3:]}" in locs
    assert "http://testserver/en/organizations/example-cluster-munich/" in locs


def test_sitemap_lists_the_region_of_an_organisation_and_the_regions_above_it(
    client, organization_factory
):
    organization = organization_factory()
    state = organization.region
    country = state.parent

    locs = sitemap_urls(client)

    assert f"http://testserver/en/regions/{state.slug}/" in locs
    assert f"http://testserver/en/regions/{country.slug}/" in locs


def test_sitemap_lists_a_macro_region_that_includes_an_organisations_region(
    client, organization_factory, region_factory
):
    organization = organization_factory()
    macro = region_factory(slug="test-macro", kind=Region.Kind.MACRO_REGION)
    macro.members.add(organization.region)

    locs = sitemap_urls(client)

    assert "http://testserver/en/regions/test-macro/" in locs


def test_sitemap_omits_regions_without_organisations(client, region_factory, organization_factory):
    organization_factory()
    region_factory(slug="empty-testland")

    locs = sitemap_urls(client)

    assert "http://testserver/en/regions/empty-testland/" not in locs


def test_sitemap_lists_an_event_without_signings(client, event_factory):
    event_factory(slug="example-days")

    assert "http://testserver/en/events/example-days/" in sitemap_urls(client)


def test_sitemap_lists_the_occasion_of_a_published_agreements_signing(
    client, event_factory, signing_event_factory
):
    event = event_factory(slug="example-days")
    signing_event_factory(occasion=event, agreement__publication="published")

    assert "http://testserver/en/events/example-days/" in sitemap_urls(client)


def test_sitemap_omits_an_event_known_only_from_unpublished_agreements(
    client, event_factory, signing_event_factory
):
    event = event_factory(slug="example-days")
    signing_event_factory(
        occasion=event,
        agreement__publication="draft",
        agreement__state="draft",
        agreement__signed_on=None,
    )

    assert "http://testserver/en/events/example-days/" not in sitemap_urls(client)


def test_sitemap_never_contains_contact_data(
    client, affiliation_factory, agreement_contact_factory
):
    hidden = affiliation_factory(email="hidden@example.org", visibility=Visibility.HIDDEN)
    agreement_contact_factory(affiliation=hidden)

    for url in ["/sitemap.xml", *index_entries(client)]:
        content = client.get(url.removeprefix("http://testserver")).content
        assert b"hidden@example.org" not in content
        assert b".vcf" not in content


def test_sitemap_index_is_built_with_two_queries_per_section(
    client, agreement_factory, organization_factory, event_factory, django_assert_max_num_queries
):
    agreement_factory.create_batch(3)
    organization_factory.create_batch(3)
    event_factory.create_batch(3)

    # A count and (with a lastmod) a MAX for each of agreements, organisations, regions, events.
    with django_assert_max_num_queries(6):
        response = client.get("/sitemap.xml")

    assert response.status_code == 200


@pytest.mark.parametrize("section", ["agreements", "organizations", "regions", "events"])
def test_a_section_page_is_read_with_two_queries_whatever_its_size(
    client,
    section,
    agreement_factory,
    organization_factory,
    event_factory,
    django_assert_max_num_queries,
):
    agreement_factory.create_batch(5)
    organization_factory.create_batch(5)
    event_factory.create_batch(5)

    # The count (for the paginator) and the page's items, as values: none per item.
    with django_assert_max_num_queries(2):
        response = client.get(f"/sitemap-{section}.xml")

    assert response.status_code == 200
    assert b"<loc>" in response.content


def test_the_index_lists_every_section_and_each_page_of_it(
    client, settings, organization_factory, monkeypatch
):
    monkeypatch.setattr(sitemaps, "LOCS_PER_PAGE", 8)  # two organisations (× 4 languages) a page
    organizations = organization_factory.create_batch(5)

    entries = index_entries(client)

    base = "http://testserver/sitemap-"
    assert {url.split("?")[0] for url in entries} == {
        f"{base}{section}.xml"
        for section in ("pages", "agreements", "organizations", "regions", "events")
    }
    assert [url for url in entries if url.startswith(f"{base}organizations")] == [
        f"{base}organizations.xml",
        f"{base}organizations.xml?p=2",
        f"{base}organizations.xml?p=3",
    ]
    pages = [page_urls(client, f"{base}organizations.xml?p={p}") for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [8, 8, 4]
    listed = {loc for page in pages for loc in page}
    for organization in organizations:
        for lang in ("en", "de", "ja", "fr"):
            assert f"http://testserver/{lang}/organizations/{organization.slug}/" in listed
    assert client.get("/sitemap-organizations.xml", {"p": 4}).status_code == 404


def test_a_section_page_has_at_most_the_limit_of_locs_alternates_included(
    client, organization_factory, monkeypatch
):
    monkeypatch.setattr(sitemaps, "LOCS_PER_PAGE", 11)  # rounded down to whole items: 8
    organization_factory.create_batch(4)

    urls = page_urls(client, "/sitemap-organizations.xml")

    assert len(urls) == 8
    for alternates in urls.values():
        assert set(alternates) == {"en", "de", "ja", "fr", "x-default"}


def test_the_index_gives_each_section_its_latest_change(client, organization_factory):
    organizations = organization_factory.create_batch(3)
    latest = max(o.updated_at for o in organizations)

    entries = index_entries(client)

    lastmod = entries["http://testserver/sitemap-organizations.xml"]
    assert datetime.datetime.fromisoformat(lastmod) == latest
    page = parse(client.get("/sitemap-organizations.xml"))
    assert len(page.findall("sm:url/sm:lastmod", NS)) == 3 * len(language_codes())


def test_sitemaps_and_their_limit_stay_within_the_protocol():
    assert sitemaps.LOCS_PER_PAGE <= 50_000


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines  # the index


def test_sitemap_and_robots_txt_live_at_the_root_not_under_a_language():
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("robots_txt") == "/robots.txt"


def test_section_pages_continue_from_the_right_item_across_gaps(
    client, agreement_factory, monkeypatch
):
    # two agreements (× every language) a page
    monkeypatch.setattr(sitemaps, "LOCS_PER_PAGE", 2 * len(language_codes()))
    agreements = [
        agreement_factory(publication="in_review" if n in (1, 2, 4) else "published")
        for n in range(7)
    ]
    published = [a for n, a in enumerate(agreements) if n not in (1, 2, 4)]

    pages = [page_urls(client, f"/sitemap-agreements.xml?p={p}") for p in (1, 2)]

    for page, expected in zip(pages, (published[:2], published[2:]), strict=True):
        slugs = {loc.split("/")[-2] for loc in page}
        assert slugs == {a.slug for a in expected}
    assert client.get("/sitemap-agreements.xml", {"p": 3}).status_code == 404


def test_a_section_page_escapes_and_carries_lastmod_and_last_modified(client, organization_factory):
    organization = organization_factory(slug="a-b")

    response = client.get("/sitemap-organizations.xml")

    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert response["Last-Modified"]
    page = parse(response)
    day = timezone.localtime(organization.updated_at).date()  # as Django's template: local
    assert page.find("sm:url/sm:lastmod", NS).text == day.isoformat()
    assert page.find("sm:url/sm:changefreq", NS).text == "monthly"
    assert page.find("sm:url/sm:priority", NS).text == "0.6"
