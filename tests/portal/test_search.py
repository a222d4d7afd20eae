"""The site-wide search page (portal/views.py): organisations, agreements and people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.organizations.test_views_search import BAD_INPUTS


@pytest.mark.parametrize("value", BAD_INPUTS)
def test_strange_queries_give_a_normal_site_search(client, world, value):
    response = client.get(reverse("search"), {"q": value})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in content
    assert "<b onmouseover" not in content


def test_the_site_search_groups_organisations_agreements_and_people(
    client, world, agreement_factory, agreement_party_factory, person_factory, affiliation_factory
):
    agreement = agreement_factory(title="Test accord with BioM")
    agreement_party_factory(agreement=agreement, organization=world.biom)
    person = person_factory(given_name="Biomina", family_name="Testperson")
    affiliation_factory(person=person, organization=world.biom, visibility="public")
    hidden = person_factory(given_name="Biomhidden", family_name="Testperson")
    affiliation_factory(person=hidden, organization=world.biom, visibility="hidden")
    response = client.get(reverse("search"), {"q": "biom"})
    assert [o.slug for o in response.context["organizations"]] == ["biom"]
    assert response.context["agreements"] == [agreement]
    assert response.context["people"] == [person]
    content = response.content.decode()
    assert content.index('id="organizations-heading"') < content.index('id="agreements-heading"')
    assert "Biomhidden" not in content


def test_the_site_search_has_its_url(db):
    with translation.override("de"):
        assert reverse("search") == "/de/search/"


def test_the_site_search_runs_the_same_number_of_queries_for_few_and_many_results(
    client,
    world,
    agreement_factory,
    agreement_party_factory,
    affiliation_factory,
    django_assert_max_num_queries,
):
    factories = (agreement_factory, agreement_party_factory, affiliation_factory, world)
    _add_biom_results(1, 0, *factories)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("search"), {"q": "biom"})
    _add_biom_results(11, 1, *factories)

    # query normalisation, three groups, their counts; the organisations' agreements, partners'
    # regions and countries; regions and the macro-regions including them; events (no region
    # here: no region pairs)
    assert len(few.captured_queries) <= 18
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("search"), {"q": "biom"})

    assert len(response.context["agreements"]) == 10  # a full group: many results shown


def _add_biom_results(
    count, start, agreement_factory, agreement_party_factory, affiliation_factory, world
):
    for n in range(start, start + count):
        agreement = agreement_factory(title=f"Test accord Biom {n}", slug=f"test-accord-{n}")
        agreement_party_factory(agreement=agreement, organization=world.biom)
        affiliation_factory(
            person__given_name=f"Biomperson{n}", organization=world.biom, visibility="public"
        )


def osaka_agreement_with_bavaria(world, agreement_party_factory):
    party = agreement_party_factory(organization=world.biom)
    agreement_party_factory(agreement=party.agreement, organization=world.obhq)


def test_the_site_search_offers_regions_and_the_macro_regions_that_include_them(
    client, world, agreement_party_factory
):
    response = client.get(reverse("search"), {"q": "osaka"})

    slugs = [region.slug for region in response.context["regions"]]
    assert slugs[0] == "osaka"
    assert "kansai" in slugs
    assert 'href="/en/regions/kansai/"' in response.content.decode()


def test_the_site_search_offers_the_region_pairs_of_the_best_region(
    client, world, agreement_party_factory
):
    osaka_agreement_with_bavaria(world, agreement_party_factory)

    content = client.get(reverse("search"), {"q": "osaka"}).content.decode()

    assert 'href="/en/regions/bavaria/osaka/"' in content
    assert "Agreements between Bavaria and Osaka" in content


def test_the_site_search_finds_events_by_name_in_any_language(client, world, event_factory):
    event_factory(name="Test BioFair 2015", name_de="Test Biomesse 2015", slug="test-biofair")

    response = client.get(reverse("search"), {"q": "biomesse"})

    assert [event.slug for event in response.context["events"]] == ["test-biofair"]
    assert "2–4 November 2015" in response.content.decode().replace(
        '</time>–<time datetime="2015-11-04">', "–"
    ).replace('<time datetime="2015-11-02">', "")


def test_a_search_that_finds_nothing_offers_the_nearest_words_and_the_next_step(client, world):
    response = client.get(reverse("search"), {"q": "zzxqv"})
    content = response.content.decode()

    assert "Nothing matches “zzxqv” yet" in content
    assert 'href="/en/regions/"' in content
    assert "No organisations match." not in content


def test_a_search_that_finds_nothing_offers_indexed_words_like_it(client, world):
    # "Headquaters" is corrected for the organisations; a word nothing is like gets the nearest
    # indexed words instead: here, none is near "qqqbio", but "bio…" words are near "biox".
    response = client.get(reverse("search"), {"q": "biotechx clusterx qqqq"})

    assert response.context["found_nothing"]
    assert response.context["nearest_words"]
