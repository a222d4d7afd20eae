"""The organisation list with search and the region picker endpoint (site search: tests/portal)."""

import pytest
from django.urls import reverse
from django.utils import translation


def organization_list(client, language="en", **params):
    with translation.override(language):
        url = reverse("organizations:organization_list")
    return client.get(url, params)


def result_links(response) -> list[str]:
    return [o.slug for o in response.context["page_obj"].object_list]


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_the_organisation_list_searches_in_every_language(client, world, language):
    response = organization_list(client, language, q="バイエルン")
    assert response.status_code == 200
    assert result_links(response)[0] == "biom"


def test_the_organisation_list_filters_by_region_code(client, world):
    response = organization_list(client, region="DE-BY")
    assert set(result_links(response)) == {"biom", "example-isar"}
    assert 'value="Bavaria (DE-BY)"' in response.content.decode()


def test_the_organisation_list_combines_region_and_text(client, world):
    response = organization_list(client, region="JP-27", q="大阪")
    assert result_links(response) == ["obhq"]


def test_matches_are_highlighted(client, world):
    response = organization_list(client, q="biom")
    assert "<mark>BioM</mark> Biotech Cluster Development" in response.content.decode()


def test_the_page_shows_how_many_organisations_match(client, world):
    response = organization_list(client, q="Testland")
    assert "2 organisations" in response.content.decode()


def test_pagination_keeps_the_query(client, world, organization_factory):
    for n in range(30):
        organization_factory(
            slug=f"paged-{n}", name=f"Example Paged Test {n:02d}", region=world.testland
        )
    response = organization_list(client, q="paged")
    content = response.content.decode()
    assert response.context["page_obj"].paginator.count == 30
    assert "?q=paged&amp;page=2" in content
    second = organization_list(client, q="paged", page="2")
    assert len(result_links(second)) == 5


def test_a_misspelling_is_corrected_and_said_so(client, world):
    response = organization_list(client, q="Osaka Bio Headquaters")
    content = response.content.decode()
    assert "obhq" in result_links(response)[:3]
    assert "Showing results for" in content
    assert 'value="Osaka Bio Headquaters"' in content  # the search box keeps what was typed


def test_a_region_typed_as_a_name_works_without_javascript(client, world):
    response = organization_list(client, region="Bayern")
    assert set(result_links(response)) == {"biom", "example-isar"}


def test_an_ambiguous_region_asks_which_one_is_meant(client, world, region_factory):
    region_factory(slug="springfield-a", name="Springfield", kind="city", parent=world.germany)
    region_factory(slug="springfield-b", name="Springfield", kind="city", parent=world.japan)
    content = organization_list(client, region="Springfield").content.decode()
    assert "Which region do you mean" in content
    assert "region=springfield-a" in content


BAD_INPUTS = [
    "",
    "x" * 10_000,
    "!!!...,,,;;;",
    "'; DROP TABLE organizations_organization; --",
    '" OR 1=1 --',
    "<script>alert('x')</script>",
    "<b onmouseover=alert(1)>BioM</b>",
    "🧬🔬🦠",
    "BioM大阪Ωμέγα",
    "Bio\x00M",
    "\x00",
    "%_\\",
]


@pytest.mark.parametrize("value", BAD_INPUTS)
def test_strange_queries_give_a_normal_organisation_list(client, world, value):
    response = organization_list(client, q=value, region=value, page=value, focus=value, kind=value)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in content
    assert "<b onmouseover" not in content


@pytest.mark.parametrize("value", BAD_INPUTS)
def test_strange_queries_give_normal_region_suggestions(client, world, value):
    response = client.get(reverse("organizations:region_suggest"), {"q": value})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_markup_in_a_query_is_escaped_where_it_is_shown(client, world):
    content = organization_list(client, q="<i>biom</i>").content.decode()
    assert "&lt;i&gt;biom&lt;/i&gt;" in content
    assert "<i>biom</i>" not in content


def test_the_search_page_runs_the_same_number_of_queries_for_few_and_many_results(
    client, world, focus_area_factory, organization_factory, django_assert_num_queries
):
    area = focus_area_factory(slug="test-area", name="Test area")
    for n in range(12):
        o = organization_factory(
            slug=f"many-{n}", name=f"Example Many Test {n}", region=world.munich
        )
        o.focus_areas.add(area)
    # 1 focus areas for the filter, 1 normalise the query, 1 region by slug/code,
    # 1 capped count, 1 ranked page, 1 focus areas of the page (the region subtree is a
    # subquery of the count and the page), 2 the page's agreements and partners'
    # regions (their countries: none here).
    with django_assert_num_queries(8):
        response = organization_list(client, q="Example", region="DE-BY")
    assert len(result_links(response)) == 13  # and Example Isar Test Cluster
    with django_assert_num_queries(8):
        response = organization_list(client, q="Isar", region="DE-BY")
    assert len(result_links(response)) == 1


def test_the_unfiltered_list_runs_a_constant_number_of_queries(
    client, world, django_assert_num_queries
):
    # 1 focus areas for the filter, 1 count, 1 page, 1 focus areas of the page, 2 the page's
    # agreements and partners' regions (their countries: none here).
    with django_assert_num_queries(6):
        organization_list(client)


def test_region_suggestions_are_json_with_a_value_to_submit(client, world):
    response = client.get(reverse("organizations:region_suggest"), {"q": "bayern"})
    first = response.json()["results"][0]
    assert first["value"] == "Bavaria (DE-BY)"
    assert first["slug"] == "bavaria"
    followed = organization_list(client, region=first["value"])
    assert set(result_links(followed)) == {"biom", "example-isar"}
