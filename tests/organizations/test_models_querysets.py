"""Read QuerySet methods of the organisations app used by the public pages."""

import pytest
from django.db.models import prefetch_related_objects

from organizations.models import Affiliation, Region, Visibility


@pytest.fixture
def tree(region_factory, subdivision_factory):
    country = region_factory(slug="testland")
    state = subdivision_factory(slug="test-state", parent=country)
    city = subdivision_factory(slug="test-city", parent=state, kind=Region.Kind.CITY)
    macro = region_factory(slug="test-macro", kind=Region.Kind.MACRO_REGION)
    macro.members.add(state)
    return {"country": country, "state": state, "city": city, "macro": macro}


def test_subtree_ids_follow_the_parent_tree(tree):
    ids = set(Region.objects.subtree_ids(tree["country"]))
    assert ids == {tree["country"].pk, tree["state"].pk, tree["city"].pk}


def test_subtree_ids_follow_macro_region_membership(tree):
    ids = set(Region.objects.subtree_ids(tree["macro"]))
    assert ids == {tree["macro"].pk, tree["state"].pk, tree["city"].pk}


def test_upward_ids_include_parents_and_macro_regions(tree):
    ids = set(Region.objects.upward_ids([tree["city"].pk]))
    assert ids == {tree["city"].pk, tree["state"].pk, tree["country"].pk, tree["macro"].pk}


def test_breadcrumb_runs_from_the_root_down_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        chain = Region.objects.breadcrumb(tree["city"])
    assert chain == [tree["country"], tree["state"], tree["city"]]


def test_publishable_affiliations_exclude_former_and_hidden_ones(affiliation_factory):
    shown = affiliation_factory()
    affiliation_factory(is_current=False)
    affiliation_factory(visibility=Visibility.HIDDEN)
    assert list(Affiliation.objects.publishable()) == [shown]


def test_region_country_is_the_root_country_whatever_the_depth(region_factory, subdivision_factory):
    country = region_factory()
    city = subdivision_factory(
        parent=subdivision_factory(parent=subdivision_factory(parent=country))
    )

    assert Region.objects.get(pk=city.pk).country == country
    assert Region.objects.get(pk=country.pk).country == country


def test_region_under_a_macro_region_only_has_no_country(region_factory):
    kansai = region_factory(kind=Region.Kind.MACRO_REGION)

    assert Region.objects.get(pk=kansai.pk).country is None


def test_region_countries_prefetch_in_one_query(
    region_factory, subdivision_factory, django_assert_num_queries
):
    for _ in range(3):
        subdivision_factory(parent=subdivision_factory(parent=region_factory()))
    regions = list(Region.objects.filter(kind=Region.Kind.SUBDIVISION))

    with django_assert_num_queries(1):
        prefetch_related_objects(regions, "country")
        countries = {region.country.pk for region in regions}

    assert len(countries) == 3
