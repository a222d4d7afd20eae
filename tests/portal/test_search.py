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

    assert len(few.captured_queries) <= 12  # query normalisation, three groups, their counts
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
