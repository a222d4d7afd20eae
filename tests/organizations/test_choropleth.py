"""The regions index's country map (organizations/choropleth.py, issue 22): the countries shaded
by their number of organisations, an SVG drawn on the server with nothing in it that runs or
loads anything, in the URL's language, beside the list of countries that is its text
alternative."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from organizations import choropleth
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def germany():
    country = factories.RegionFactory(name="Germany", name_de="Deutschland", iso_code="DE")
    state = factories.SubdivisionFactory(name="Bavaria", parent=country)
    factories.OrganizationFactory.create_batch(12, region=state)
    return country


def shape(svg: str, numeric: str) -> str:
    """The country's path in the SVG: the one whose d is the base map's shape of ``numeric``."""
    _view_box, _ocean, shapes = choropleth.base_map()
    pattern = rf'<path [^>]*d="{re.escape(shapes[numeric])}"[^>]*>(?:<title>[^<]*)?'
    (path,) = re.findall(pattern, svg)
    return path


def test_a_country_is_shaded_by_its_number_of_organisations_and_titled_with_it(client, germany):
    response = client.get(reverse("organizations:region_choropleth"))
    svg = response.content.decode()

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert shape(svg, "276") == (
        f'<path fill="{choropleth.shade_of(12)}" d="{choropleth.base_map()[2]["276"]}">'
        "<title>Germany: 12 organisations"
    )
    assert choropleth.shade_of(12) == "#4292c6"  # 10 to 99
    assert 'fill="' not in shape(svg, "392")  # Japan: no organisation, the land's colour


def test_the_titles_are_in_the_urls_language(client, germany):
    with translation.override("de"):
        url = reverse("organizations:region_choropleth")

    svg = client.get(url).content.decode()

    assert "<title>Deutschland: 12 Organisationen" in svg


def test_the_map_runs_and_loads_nothing(client, germany):
    response = client.get(reverse("organizations:region_choropleth"))
    svg = response.content.decode()

    assert "<script" not in svg and "href" not in svg and "style" not in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_regions_index_shows_the_map_with_its_legend_and_text_alternative(client, germany):
    html = client.get(reverse("organizations:region_list")).content.decode()

    assert f'<img src="{reverse("organizations:region_choropleth")}"' in html
    assert 'alt="World map: each country shaded by its number of organisations.' in html
    assert "10–99" in html and "≥ 1,000" in html
    assert 'href="/en/regions/' in html and "Germany" in html  # the list it refers to


@pytest.mark.parametrize(("language", "largest"), [("en", "≥ 1,000"), ("de", "≥ 1.000")])
def test_the_legends_numbers_are_grouped_as_the_language_groups_them(language, largest):
    with translation.override(language):
        assert choropleth.legend()[-1][1] == largest


def test_without_a_country_on_the_map_the_index_shows_no_map(client):
    factories.OrganizationFactory(region=factories.RegionFactory(name="Nowhereland"))

    html = client.get(reverse("organizations:region_list")).content.decode()

    assert "region_choropleth" not in html and "map.svg" not in html


@pytest.mark.parametrize(
    ("count", "shade"), [(1, "#9ecae1"), (9, "#9ecae1"), (100, "#08519c"), (25_000, "#08306b")]
)
def test_shades_go_by_order_of_magnitude(count, shade):
    assert choropleth.shade_of(count) == shade
