"""Cities' everyday names from the shipped gazetteer's alternate names (organizations/geocoding.py):
a Japanese name where the city has none, and the Latin-script names as searchable aliases."""

import pytest

from organizations import search
from organizations.geocoding import city_everyday_names, regions_fill_everyday_names
from organizations.models import Region


@pytest.fixture
def lyon(region_factory, subdivision_factory):
    france = region_factory(name="France", slug="fr", iso_code="FR")
    metropole = subdivision_factory(
        name="Métropole de Lyon", slug="fr-69m", iso_code="FR-69M", parent=france
    )
    return region_factory(name="Lyon", slug="lyon", kind=Region.Kind.CITY, parent=metropole)


def test_a_city_gets_its_japanese_name_and_everyday_names(lyon):
    names = city_everyday_names(lyon)
    assert names is not None
    assert names.name_ja == "リヨン"
    assert "Lione" in names.aliases  # Italian
    assert "Lyon" not in names.aliases  # its own name already


def test_filling_keeps_a_name_entered_by_hand(lyon):
    lyon.name_ja = "リヨン市"
    lyon.save()
    assert regions_fill_everyday_names(regions=[lyon]) == 1
    lyon.refresh_from_db()
    assert lyon.name_ja == "リヨン市"
    assert "Lione" in lyon.aliases


def test_an_organisation_in_the_city_is_found_by_the_citys_everyday_names(
    lyon, organization_factory
):
    organization_factory(name="Example Grappe Lyonnaise", slug="grappe", region=lyon)
    regions_fill_everyday_names(regions=[Region.objects.get(pk=lyon.pk)])
    found = search.search_organizations(q="Lione")
    assert [o.slug for o in found.results[0:5]] == ["grappe"]
    assert lyon in search.suggest_regions("リヨン")


def test_the_metropole_is_found_by_lyon(lyon):
    assert lyon.parent in search.suggest_regions("Lyon")


def test_a_city_the_gazetteer_does_not_know_is_left_alone(region_factory):
    country = region_factory(name="Testland", slug="tl", iso_code="TL")
    city = region_factory(name="Nowhereville", slug="nw", kind=Region.Kind.CITY, parent=country)
    assert city_everyday_names(city) is None
    assert regions_fill_everyday_names(regions=[city]) == 0
