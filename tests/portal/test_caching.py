"""The page cache, conditional GET and compression of anonymous public pages (portal/caching.py,
portal/compression.py), stored under the content generation (core/caching.py, tested in
tests/core/test_caching.py).

The content generation changes when a writing transaction *commits* (deferred triggers), so the
tests that write use ``transaction=True``: inside a test's rolled-back transaction nothing ever
commits.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from django.core.cache import cache
from django.urls import reverse

from core import caching
from organizations.models import Region
from partnerships import services
from partnerships.models import Agreement

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def region_url(region: Region, language: str = "en") -> str:
    return f"/{language}/regions/{region.slug}/"


# --- The page cache ----------------------------------------------------------------------------


@transactional
def test_a_repeated_anonymous_request_is_served_from_the_cache(
    client, page_cache, region_factory, django_assert_num_queries
):
    region = region_factory(name="Testland")
    first = client.get(region_url(region))

    with django_assert_num_queries(1):  # the content generation, nothing else
        second = client.get(region_url(region))

    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "Testland" in second.content.decode()


@transactional
def test_pages_are_cached_per_language(client, page_cache, region_factory):
    region = region_factory(name="Testland")
    region.name_de = "Testlandia"
    region.save()

    english = client.get(region_url(region, "en"))
    german = client.get(region_url(region, "de"))
    german_again = client.get(region_url(region, "de"))

    assert english["X-Cache"] == german["X-Cache"] == "miss"
    assert german_again["X-Cache"] == "hit"
    assert 'lang="de"' in german_again.content.decode()
    assert "Testlandia" in german_again.content.decode()
    assert "Testlandia" not in english.content.decode()


@transactional
def test_an_admin_change_is_visible_on_the_next_request(
    client, admin_client, page_cache, region_factory
):
    region = region_factory(name="Testland", slug="testland")
    assert "Testland" in client.get(region_url(region)).content.decode()

    response = admin_client.post(
        reverse("admin:organizations_region_change", args=[region.pk]),
        {
            "name_en": "Renamed Land",
            "name_de": "",
            "name_ja": "",
            "slug": "testland",
            "kind": Region.Kind.COUNTRY,
            "parent": "",
            "aliases": "",
            "iso_code": "",
            "iso_type": "",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 302

    page = client.get(region_url(region))
    assert page["X-Cache"] == "miss"
    assert "Renamed Land" in page.content.decode()


@transactional
def test_publishing_and_unpublishing_are_visible_on_the_next_request(
    client, page_cache, agreement_party_factory
):
    party = agreement_party_factory(agreement__publication="draft", agreement__title="Secret pact")
    agreement_party_factory(agreement=party.agreement)
    agreement = party.agreement
    url = reverse("partnerships:agreement_detail", args=[agreement.slug])
    list_url = reverse("partnerships:agreement_list")
    assert client.get(url).status_code == 404
    assert "Secret pact" not in client.get(list_url).content.decode()

    services.agreement_submit_for_review(agreement=agreement, user=None)
    services.agreement_publish(agreement=Agreement.objects.get(pk=agreement.pk), user=None)

    assert client.get(url).status_code == 200
    assert "Secret pact" in client.get(list_url).content.decode()

    services.agreement_withdraw(agreement=Agreement.objects.get(pk=agreement.pk), user=None)

    assert client.get(url).status_code == 404
    assert "Secret pact" not in client.get(list_url).content.decode()


@transactional
def test_signed_in_visitors_are_never_served_cached_pages(
    client, admin_client, page_cache, region_factory
):
    region = region_factory(name="Testland")
    client.get(region_url(region))
    assert client.get(region_url(region))["X-Cache"] == "hit"

    response = admin_client.get(region_url(region))

    assert response.status_code == 200
    assert "X-Cache" not in response
    assert "ETag" not in response


def test_requests_with_a_messages_cookie_bypass_the_cache(client, page_cache, db):
    client.cookies["messages"] = "something"

    response = client.get("/en/regions/")

    assert "X-Cache" not in response


def test_the_admin_is_never_cached(client, page_cache, db):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert "X-Cache" not in response
    assert response.cookies  # the CSRF cookie: one more reason never to store it


def test_not_found_pages_are_not_cached(client, page_cache, db):
    client.get("/en/agreements/no-such-agreement/")

    response = client.get("/en/agreements/no-such-agreement/")

    assert response.status_code == 404
    assert response.get("X-Cache") != "hit"


def test_ten_thousand_random_urls_leave_the_cache_bounded(page_cache, db):
    """The fuzz's probe, in process and fast: 10,000 random URLs through the page cache
    middleware (RequestFactory; the view answers like the site: a 404 for a random path, a
    cacheable page for a list under a random query string). Missing pages keep nothing, and the
    pages keep at most the configured MAX_ENTRIES keys (2,000) of the local-memory cache."""
    import random

    from django.core.cache import caches
    from django.http import HttpResponse, HttpResponseNotFound
    from django.test import RequestFactory

    from portal.caching import PageCacheMiddleware

    bounded = caches["default"]
    limit = bounded._max_entries
    assert limit == 2000  # the project's bound (PORTAL_LOCMEM_MAX_ENTRIES)

    def site(request):
        if request.path.startswith("/en/regions/"):
            return HttpResponse(f"<p>{request.get_full_path()}</p>")
        return HttpResponseNotFound("<p>Not found</p>")

    middleware = PageCacheMiddleware(site)
    factory = RequestFactory()
    rng = random.Random(25)  # noqa: S311 - test URLs, not secrets
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
    answers = {200: 0, 404: 0}
    for _ in range(10_000):
        word = "".join(rng.choices(alphabet, k=12))
        url = f"/en/regions/?q={word}" if rng.random() < 0.5 else f"/en/{word}/"
        response = middleware(factory.get(url))
        answers[response.status_code] += 1

    assert answers[200] > limit  # enough pages to overflow an unbounded cache
    assert answers[404] > limit
    assert 0 < len(bounded._cache) <= limit


def test_random_missing_urls_keep_nothing_in_the_cache(client, page_cache, db):
    from django.core.cache import caches

    for number in range(50):
        client.get(f"/en/no-such-page-{number}/")

    assert len(caches["default"]._cache) == 0


def test_the_switch_turns_caching_off(client, settings, db):
    settings.PORTAL_PAGE_CACHE = False

    response = client.get("/en/regions/")

    assert "X-Cache" not in response and "ETag" not in response


# --- Conditional GET ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/regions/",
        "/en/agreements/",
        "/en/agreements/feed.atom",
        "/en/signing-events.ics",
        "/sitemap.xml",
    ],
)
def test_a_repeat_request_with_the_etag_gets_304_without_rendering(
    client, page_cache, db, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    cache.clear()  # not even the cache: the validator alone decides

    with django_assert_num_queries(1):  # the content generation
        second = client.get(url, headers={"if-none-match": etag})

    assert second.status_code == 304
    assert second["ETag"] == etag
    assert second.content == b""


@transactional
def test_the_etag_changes_with_the_content(client, page_cache, region_factory):
    region = region_factory(name="Testland")
    etag = client.get(region_url(region))["ETag"]

    Region.objects.filter(pk=region.pk).update(name_en="Changed")
    response = client.get(region_url(region), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Changed" in response.content.decode()


def test_the_etag_differs_per_language(client, page_cache, db):
    assert client.get("/en/regions/")["ETag"] != client.get("/de/regions/")["ETag"]


# --- Compression -------------------------------------------------------------------------------


def test_brotli_when_the_client_accepts_it(client, page_cache, db):
    response = client.get("/en/regions/", headers={"accept-encoding": "gzip, deflate, br"})

    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in brotli.decompress(response.content)


def test_gzip_when_the_client_accepts_only_gzip(client, db):
    response = client.get("/en/regions/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in gzip.decompress(response.content)


def test_nothing_compressed_without_accept_encoding_or_with_q_zero(client, db):
    plain = client.get("/en/regions/")
    refused = client.get("/en/regions/", headers={"accept-encoding": "br;q=0, gzip;q=0"})

    assert "Content-Encoding" not in plain and "Content-Encoding" not in refused
    assert b"<html" in plain.content


def test_cached_pages_are_stored_per_encoding(client, page_cache, db):
    brotli_page = client.get("/en/regions/", headers={"accept-encoding": "br"})
    gzip_page = client.get("/en/regions/", headers={"accept-encoding": "gzip"})
    brotli_again = client.get("/en/regions/", headers={"accept-encoding": "br"})

    assert gzip_page["X-Cache"] == "miss"  # not the brotli bytes
    assert gzip_page["Content-Encoding"] == "gzip"
    assert brotli_again["X-Cache"] == "hit"
    assert brotli_again["Content-Encoding"] == "br"
    assert brotli_again.content == brotli_page.content


def test_signed_in_pages_get_gzip_not_brotli(admin_client):
    """BREACH: a page holding the CSRF token or a session's data is compressed only with gzip,
    which Django pads with random bytes; brotli is for pages that hold no secret."""
    response = admin_client.get("/admin/", headers={"accept-encoding": "br, gzip"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


# --- Transfer size -----------------------------------------------------------------------------


def test_a_full_list_page_transfers_under_150_kb(client, db, agreement_party_factory):
    """A full page of agreements, each with several parties, plus every stylesheet and script
    it loads (which WhiteNoise serves precompressed in production), compressed as sent."""
    import re

    from django.contrib.staticfiles import finders

    for number in range(25):
        party = agreement_party_factory(agreement__title=f"Agreement on shared research {number}")
        for _ in range(3):
            agreement_party_factory(agreement=party.agreement)

    response = client.get(reverse("partnerships:agreement_list"), headers={"accept-encoding": "br"})
    html = brotli.decompress(response.content).decode()
    assert html.count("Agreement on shared research") >= 20  # a full page
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets  # the page's own stylesheets and scripts are counted
    asset_bytes = sum(
        len(brotli.compress(Path(str(finders.find(path))).read_bytes(), quality=11))
        for path in assets
    )

    assert len(response.content) + asset_bytes < 150 * 1024


# --- Cached summaries ----------------------------------------------------------------------------


def test_the_home_figures_are_a_cached_summary(client, settings, organization_factory):
    settings.PORTAL_SUMMARY_CACHE = True
    cache.clear()
    organization_factory()
    assert client.get("/en/").context["organization_count"] == 1

    organization_factory()  # not committed in a test: the generation has not changed yet
    assert client.get("/en/").context["organization_count"] == 1
    caching.bump_generation()
    assert client.get("/en/").context["organization_count"] == 2


# --- A write invalidates what it changed (issue 24) ----------------------------------------


@pytest.fixture
def two_agreements(agreement_party_factory, organization_factory):
    """Two published agreements with parties of their own, and an organisation party to
    neither."""
    first = agreement_party_factory(agreement__title="First pact")
    agreement_party_factory(agreement=first.agreement)
    second = agreement_party_factory(agreement__title="Second pact")
    agreement_party_factory(agreement=second.agreement)
    return first.agreement, second.agreement, organization_factory(name="Bystander Cluster")


def agreement_url(agreement: Agreement) -> str:
    return reverse("partnerships:agreement_detail", args=[agreement.slug])


def organization_url(organization) -> str:
    return reverse("partnerships:organization_detail", args=[organization.slug])


def edit_title(agreement: Agreement, title: str) -> None:
    agreement.title = title
    agreement.save()  # committed: the test is transactional


@transactional
def test_after_an_agreement_edit_the_pages_not_showing_it_still_hit(
    client, page_cache, two_agreements
):
    first, second, bystander = two_agreements
    other_party = second.parties.first().organization
    urls = [
        agreement_url(second),
        organization_url(other_party),
        organization_url(bystander),
        reverse("partnerships:region_detail", args=[bystander.region.slug]),
        reverse("partnerships:region_detail", args=[other_party.region.parent.slug]),
        # Not the organisation list: its results carry the cooperation signal (agreements in
        # force, partner countries; issue 22), read from the agreement tables as a whole.
        reverse("organizations:region_list"),
    ]
    for url in urls:
        assert client.get(url)["X-Cache"] == "miss"

    edit_title(first, "First pact, amended")

    assert {url: client.get(url)["X-Cache"] for url in urls} == dict.fromkeys(urls, "hit")


@transactional
def test_after_an_agreement_edit_every_page_showing_it_misses(client, page_cache, two_agreements):
    first, _second, _bystander = two_agreements
    region = first.parties.first().organization.region
    urls = [
        agreement_url(first),
        *(organization_url(party.organization) for party in first.parties.all()),
        reverse("partnerships:agreement_list"),
        reverse("home"),
        reverse("partnerships:region_detail", args=[region.slug]),
        reverse("partnerships:region_detail", args=[region.parent.slug]),  # the country above
    ]
    for url in urls:
        assert "First pact" in client.get(url).content.decode()

    edit_title(first, "First pact, amended")

    for url in urls:
        page = client.get(url)
        assert page["X-Cache"] == "miss", url
        assert "First pact, amended" in page.content.decode(), url


@transactional
def test_a_change_to_an_agreements_signing_or_lineage_misses_its_page(
    client, page_cache, two_agreements, signing_event_factory
):
    first, second, _bystander = two_agreements
    second.previous = first
    second.lineage = Agreement.Lineage.AMENDS
    second.save()
    assert client.get(agreement_url(first))["X-Cache"] == "miss"
    assert client.get(agreement_url(second))["X-Cache"] == "miss"

    signing_event_factory(agreement=first)
    assert client.get(agreement_url(first))["X-Cache"] == "miss"
    edit_title(first, "First pact, amended")  # named on the later agreement's page

    page = client.get(agreement_url(second))
    assert page["X-Cache"] == "miss"
    assert "First pact, amended" in page.content.decode()


@transactional
def test_a_page_rendered_while_a_write_commits_is_not_stored(
    client, page_cache, two_agreements, monkeypatch
):
    from partnerships import views

    first, _second, _bystander = two_agreements
    render = views.render

    def render_then_write(*args, **kwargs):
        response = render(*args, **kwargs)
        caching.bump_generation()  # another transaction commits meanwhile
        return response

    monkeypatch.setattr(views, "render", render_then_write)
    client.get(agreement_url(first))
    monkeypatch.setattr(views, "render", render)

    assert client.get(agreement_url(first))["X-Cache"] == "miss"
