"""The region page's and the region-pair page's summaries (partnerships/regions.py)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from core import caching
from partnerships import regions
from partnerships.models import Agreement


@pytest.fixture
def summaries(settings):
    settings.PORTAL_SUMMARY_CACHE = True
    # Tests roll back, so the content generation (part of the key) repeats: start empty.
    cache.clear()


@pytest.fixture
def munich(region_factory, subdivision_factory):
    country = region_factory(name="Testland", slug="testland")
    state = subdivision_factory(name="Test Bavaria", slug="test-bavaria", parent=country)
    return subdivision_factory(name="Test Munich", slug="test-munich", parent=state, kind="city")


@pytest.fixture
def otherland(region_factory, subdivision_factory):
    return subdivision_factory(parent=region_factory(name="Otherland", slug="otherland"))


def test_the_region_page_is_a_cached_summary_until_public_data_changes(
    client, summaries, agreement_party_factory, munich, django_assert_max_num_queries
):
    agreement_party_factory(organization__region=munich)
    assert client.get("/en/regions/testland/").context["agreement_count"] == 1

    agreement_party_factory(organization__region=munich)  # not committed: same generation
    # region, generation, organisations page, breadcrumb, sub-regions page, the newest
    # agreements + parties + their countries, members, part of, partner regions, the map's
    # first view (map_fit: one aggregate over the region's organisations)
    with django_assert_max_num_queries(12):
        assert client.get("/en/regions/testland/").context["agreement_count"] == 1
    caching.bump_generation()  # what a committed write does
    assert client.get("/en/regions/testland/").context["agreement_count"] == 2


def test_the_region_summary_is_per_language(client, summaries, agreement_party_factory, munich):
    party = agreement_party_factory(organization__region=munich)
    client.get("/en/regions/testland/")  # computes and caches the English summary

    html = client.get("/de/regions/testland/").content.decode()

    assert f'href="/de/agreements/{party.agreement.slug}/"' in html
    assert f'href="/en/agreements/{party.agreement.slug}/"' not in html


def test_the_newest_agreements_show_the_status_of_the_day_from_the_summary(
    client, summaries, agreement_party_factory, munich
):
    today = timezone.localdate()
    ended = agreement_party_factory(
        organization__region=munich,
        agreement__terminated_on=today - datetime.timedelta(days=1),
    ).agreement
    client.get("/en/regions/testland/")

    shown = client.get("/en/regions/testland/").context["agreements"]

    assert [a.status for a in shown] == [Agreement.Status.TERMINATED]
    assert ended.status_on(today) == Agreement.Status.TERMINATED


def test_a_region_pair_reads_pages_past_its_kept_ids_from_the_database(
    client,
    summaries,
    monkeypatch,
    agreement_factory,
    agreement_party_factory,
    munich,
    otherland,
):
    monkeypatch.setattr(regions, "PAIR_IDS_KEPT", 30)  # the first page and a part of the second
    for agreement in agreement_factory.create_batch(60):
        agreement_party_factory(agreement=agreement, organization__region=munich)
        agreement_party_factory(agreement=agreement, organization__region=otherland)
    expected = list(Agreement.objects.published().values_list("pk", flat=True))

    pages = [
        client.get("/en/regions/testland/otherland/", {"page": number}).context["page_obj"]
        for number in (1, 2, 3)
    ]

    assert pages[0].paginator.count == 60
    assert [a.pk for page in pages for a in page.object_list] == expected
    assert all(a.status for page in pages for a in page.object_list)
