"""The partner profile (issue 22) in the API's organisation resource, its filters and
``modified_since``, and in the open-data export: what the organisation page shows, by the same
rules (a contact point is public by ``AffiliationQuerySet.publishable``; a logo in its bounded
sizes only)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from core.history import event_model_for
from organizations.logos import LOGO_SIZES, store_logo
from organizations.models import Affiliation, Organization, Person, Visibility
from portal import open_data
from tests import factories, uploads

pytestmark = pytest.mark.django_db

API = "/api/v1/organizations"


def get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


@pytest.fixture
def kansai():
    return factories.RegionFactory(name="Kansai P", slug="kansai-p", iso_code="KP")


@pytest.fixture
def profiled(kansai):
    """BioM-like: a full profile, its texts in English and German, a public international
    contact."""
    organization = factories.OrganizationFactory(
        name="Profiled Cluster",
        offers_en="Laboratories and a partnering network.",
        offers_de="Labore und ein Partnernetz.",
        seeks_en="Partners in Kansai.",
        member_count=300,
        sme_count=240,
        languages=["de", "en", "ja"],
    )
    organization.target_regions.add(kansai)
    organization.international_contact = factories.AffiliationFactory(
        organization=organization,
        person__given_name="Gloria",
        person__family_name="Globetrotter",
        position="Head of international affairs",
        email="intl@example.org",
    )
    organization.save()
    return organization


def test_an_organisation_carries_its_partner_profile(client, profiled, kansai):
    data = get(client, f"{API}/{profiled.pk}/")

    assert data["offers"] == "Laboratories and a partnering network."
    assert data["seeks"] == "Partners in Kansai."
    assert (data["member_count"], data["sme_count"]) == (300, 240)
    assert data["languages"] == ["de", "en", "ja"]
    assert [region["slug"] for region in data["target_regions"]] == ["kansai-p"]
    contact = data["international_contact"]
    assert contact["id"] == profiled.international_contact_id
    assert contact["name"] == "Gloria Globetrotter"
    assert contact["email"] == "intl@example.org"
    assert data["logo"] == []


def test_profile_texts_are_in_the_asked_language_with_the_others_under_translations(
    client, profiled
):
    german = get(client, f"{API}/{profiled.pk}/", lang="de")
    every = get(client, f"{API}/{profiled.pk}/", lang="all")

    assert german["offers"] == "Labore und ein Partnernetz."
    assert german["seeks"] == "Partners in Kansai."  # no German text: English, as on the page
    assert every["translations"]["offers"]["de"] == "Labore und ein Partnernetz."
    assert every["translations"]["seeks"]["en"] == "Partners in Kansai."
    assert every["translations"]["seeks"]["de"] == ""


@pytest.mark.parametrize(
    "change",
    [{"visibility": Visibility.HIDDEN}, {"is_current": False}],
    ids=["hidden", "former"],
)
def test_an_international_contact_that_is_not_public_is_null(client, profiled, change):
    contact = profiled.international_contact
    for field, value in change.items():
        setattr(contact, field, value)
    contact.save()

    data = get(client, f"{API}/{profiled.pk}/")

    assert data["international_contact"] is None
    assert "Globetrotter" not in json.dumps(data)


def test_the_logo_is_given_in_its_bounded_sizes_only(client, profiled, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profiled.logo = store_logo(io.BytesIO(uploads.png()), default_storage)
    profiled.save()

    logo = get(client, f"{API}/{profiled.pk}/")["logo"]

    assert [item["size"] for item in logo] == list(LOGO_SIZES)
    assert logo[0]["url"] == f"http://testserver{profiled.logo_url(LOGO_SIZES[0])}"
    assert client.get(logo[-1]["url"]).status_code == 200


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"language": "ja"}, True),
        ({"language": "fr"}, False),
        ({"target": "kansai-p"}, True),
        ({"smes": "75"}, True),
        ({"smes": "75", "language": "fr"}, False),
    ],
)
def test_the_list_filters_on_the_profile_as_the_organisation_search_does(
    client, profiled, params, found
):
    factories.OrganizationFactory(name="Profileless")

    names = [row["name"] for row in get(client, f"{API}/", **params)["results"]]

    assert names == (["Profiled Cluster"] if found else [])


def test_a_bad_profile_filter_value_is_a_400(client, db):
    response = client.get(f"{API}/", {"smes": "33"})

    assert response.status_code == 400
    assert "smes" in json.loads(response.content)["errors"]


def _since_now() -> str:
    """A moment after every change so far: the test's one transaction stamps every history
    event with its start, so the events so far are moved two hours back."""
    for model in (
        Organization,
        Organization.target_regions.through,
        Organization.focus_areas.through,
        Affiliation,
        Person,
    ):
        event_model_for(model).objects.update(
            pgh_created_at=F("pgh_created_at") - datetime.timedelta(hours=2)
        )
    return (timezone.now() - datetime.timedelta(hours=1)).isoformat()


def _changed(client, since: str) -> list[int]:
    return [row["id"] for row in get(client, f"{API}/", modified_since=since)["results"]]


def test_modified_since_lists_an_organisation_whose_target_regions_changed(client, profiled):
    since = _since_now()
    assert _changed(client, since) == []

    profiled.target_regions.add(factories.RegionFactory())

    assert _changed(client, since) == [profiled.pk]


def test_modified_since_lists_an_organisation_whose_international_contact_changed(client, profiled):
    since = _since_now()
    contact = profiled.international_contact
    contact.person.family_name = "Weltenbummler"
    contact.person.save()

    assert _changed(client, since) == [profiled.pk]


def test_the_export_holds_the_profile_and_the_target_regions(profiled, kansai):
    tables = {table.name: table for table in open_data.tables("http://testserver")}

    (record,) = tables["organizations"].records()
    links = list(tables["organization_target_regions"].records())

    assert record["offers_de"] == "Labore und ein Partnernetz."
    assert (record["member_count"], record["sme_count"]) == (300, 240)
    assert record["languages"] == ["de", "en", "ja"]
    assert record["international_contact_id"] == profiled.international_contact_id
    assert record["logo_256_url"] == ""
    assert [(link["organization_id"], link["region_id"]) for link in links] == [
        (profiled.pk, kansai.pk)
    ]


def test_the_export_leaves_out_an_international_contact_that_is_not_public(profiled):
    profiled.international_contact.visibility = Visibility.HIDDEN
    profiled.international_contact.save()
    tables = {table.name: table for table in open_data.tables("http://testserver")}

    (record,) = tables["organizations"].records()

    assert record["international_contact_id"] is None
