"""The partner profile on the public organisation page (issue 22)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from organizations.logos import store_logo
from organizations.models import Visibility
from tests import factories

pytestmark = pytest.mark.django_db


def page(client, organization, language: str = "en") -> str:
    with translation.override(language):
        url = organization.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def profiled():
    """BioM-like, with every fact of the profile filled."""
    organization = factories.OrganizationFactory(
        name="Profile Cluster",
        offers="Matchmaking & <site visits> in Munich",
        offers_de="Matchmaking und Standortbesuche in München",
        seeks="Partners for clinical trials",
        member_count=120,
        sme_count=90,
        languages=["de", "ja"],
    )
    organization.target_regions.add(factories.RegionFactory(name="Kansai Test", slug="kansai-t"))
    return organization


def test_the_page_shows_what_the_organisation_offers_and_looks_for(client, profiled):
    html = page(client, profiled)

    assert "What we offer" in html
    assert "Matchmaking &amp; &lt;site visits&gt; in Munich" in html  # escaped
    assert "Partners for clinical trials" in html


def test_a_text_without_a_german_version_is_marked_as_english_on_the_german_page(client, profiled):
    html = page(client, profiled, "de")

    assert "Matchmaking und Standortbesuche in München" in html
    assert '<div lang="en" data-fallback><p>Partners for clinical trials</p></div>' in html


def test_members_are_shown_with_the_smes_and_their_share(client, profiled):
    assert "120, of which 90 SMEs (75 %)" in page(client, profiled)


def test_languages_spoken_are_named_in_the_readers_language(client, profiled):
    # Joined as each language joins a list (core/typography.py).
    assert "Deutsch und Japanisch" in page(client, profiled, "de")
    assert "ドイツ語、日本語" in page(client, profiled, "ja")


def test_target_regions_link_to_the_region_and_to_who_already_cooperates_there(client, profiled):
    html = page(client, profiled)

    assert 'href="/en/regions/kansai-t/"' in html
    assert f"?cooperates=kansai-t&amp;region={profiled.region.slug}" in html


def test_a_public_international_contact_is_shown_apart_from_the_other_contacts(client, profiled):
    contact = factories.AffiliationFactory(
        organization=profiled, visibility=Visibility.PUBLIC, person__family_name="Globetrotter"
    )
    profiled.international_contact = contact
    profiled.save()

    html = page(client, profiled)

    assert "International-affairs contact" in html
    assert html.count("Globetrotter") == 1


def test_a_hidden_international_contact_is_not_shown(client, profiled):
    contact = factories.AffiliationFactory(
        organization=profiled, visibility=Visibility.HIDDEN, person__family_name="Secretive"
    )
    profiled.international_contact = contact
    profiled.save()

    html = page(client, profiled)

    assert "International-affairs contact" not in html
    assert "Secretive" not in html


def test_the_logo_is_shown_in_two_bounded_sizes(client, profiled, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (50, 50)).save(image, "PNG")
    profiled.logo = store_logo(image, default_storage)
    profiled.save()

    html = page(client, profiled)

    assert f'src="{profiled.logo_url(128)}"' in html
    assert f'srcset="{profiled.logo_url(256)} 2x"' in html


def test_an_organisation_without_a_profile_shows_none_of_its_headings(client):
    html = page(client, factories.OrganizationFactory())

    for heading in ("What we offer", "What we look for", "Members", "Languages spoken"):
        assert heading not in html


def test_more_target_regions_and_languages_cost_the_page_no_query(client, profiled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        page(client, profiled)
    profiled.target_regions.add(*factories.RegionFactory.create_batch(5))
    profiled.languages = ["en", "de", "ja", "fr", "zh", "ko"]
    profiled.save()
    with CaptureQueriesContext(connection) as more:
        page(client, profiled)

    assert len(more) == len(few)


def test_the_structured_data_names_the_larger_logo(client, profiled, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (50, 50)).save(image, "PNG")
    profiled.logo = store_logo(image, default_storage)
    profiled.save()

    html = page(client, profiled)

    assert f'"logo": "http://testserver{profiled.logo_url(256)}"' in html
