"""Optimistic concurrency in the admin (core/admin/concurrency.py): two people open the
same record; the first saves; the second's save is refused with what changed meanwhile, and
nothing the second person typed is lost.

Personas: Birgit manages the Munich biotech cluster's profile; Kenji, at the Osaka office, edits
the same profile at the same time.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations.models import Organization, Person
from tests.admin_post import form_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def birgit(client):
    user = get_user_model().objects.create_superuser("birgit", "birgit@example.org")
    client.force_login(user)
    return client


@pytest.fixture
def kenji(client_class):
    other = client_class()
    user = get_user_model().objects.create_superuser("kenji", "kenji@example.org")
    other.force_login(user)
    return other


@pytest.fixture
def client_class():
    from django.test import Client

    return Client


def test_second_save_of_an_organisation_is_refused_with_what_changed_and_keeps_its_input(
    birgit, kenji, organization_factory
):
    organization = organization_factory(name="Munich Biotech Cluster", short_name="MBC")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))

    birgits_form["name_en"] = "Munich Biotech Cluster e.V."
    assert birgit.post(url, birgits_form).status_code == 302
    kenjis_form["short_name"] = "MBC Osaka office"
    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert "Munich Biotech Cluster → Munich Biotech Cluster e.V." in page
    assert 'value="MBC Osaka office"' in page  # Kenji's input is still in the form
    organization.refresh_from_db()
    assert organization.name_en == "Munich Biotech Cluster e.V."
    assert organization.short_name == "MBC"


def test_saving_again_after_the_refusal_keeps_the_second_editors_values(
    birgit, kenji, organization_factory
):
    organization = organization_factory(name="Munich Biotech Cluster", short_name="MBC")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["name_en"] = "Munich Biotech Cluster e.V."
    birgit.post(url, birgits_form)
    kenjis_form["short_name"] = "MBC Osaka office"
    refused = kenji.post(url, kenjis_form)

    response = kenji.post(url, form_post_data(refused))

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.short_name == "MBC Osaka office"


def test_a_save_without_a_concurrent_change_goes_through(birgit, organization_factory):
    organization = organization_factory(name="Munich Biotech Cluster")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = form_post_data(birgit.get(url))
    data["short_name"] = "MBC"

    assert birgit.post(url, data).status_code == 302
    assert Organization.objects.get(pk=organization.pk).short_name == "MBC"


def test_second_save_of_a_person_is_refused(birgit, kenji, person_factory):
    person = person_factory(family_name="Weber")
    url = reverse("admin:organizations_person_change", args=[person.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["family_name"] = "Weber-Sato"
    assert birgit.post(url, birgits_form).status_code == 302

    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    assert "Weber → Weber-Sato" in response.content.decode()
    assert Person.objects.get(pk=person.pk).family_name == "Weber-Sato"


def test_second_save_of_an_agreement_is_refused(
    birgit, kenji, agreement_factory, agreement_party_factory
):
    agreement = agreement_factory(title="Munich–Osaka cooperation")
    agreement_party_factory(agreement=agreement, position=0)
    agreement_party_factory(agreement=agreement, position=1)
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["title_en"] = "Munich–Osaka cooperation agreement"
    assert birgit.post(url, birgits_form).status_code == 302
    kenjis_form["code"] = "MUC-OSA"

    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title_en == "Munich–Osaka cooperation agreement"
    assert agreement.code == ""


def test_second_save_of_an_event_is_refused_with_what_changed(birgit, kenji, event_factory):
    event = event_factory(name="BIO-Europe 2015", venue="ICM")
    url = reverse("admin:partnerships_event_change", args=[event.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["name_en"] = "BIO-Europe Spring 2015"
    assert birgit.post(url, birgits_form).status_code == 302
    kenjis_form["venue_en"] = "Messe München"

    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "BIO-Europe 2015 → BIO-Europe Spring 2015" in page
    assert 'value="Messe München"' in page
    event.refresh_from_db()
    assert (event.name_en, event.venue_en) == ("BIO-Europe Spring 2015", "ICM")


def test_second_save_of_a_contact_point_is_refused_with_what_changed(
    birgit, kenji, affiliation_factory
):
    affiliation = affiliation_factory(email="weber@example.org", position="CEO")
    url = reverse("admin:organizations_affiliation_change", args=[affiliation.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["email"] = "weber@cluster.example.org"
    assert birgit.post(url, birgits_form).status_code == 302
    kenjis_form["position_en"] = "Managing director"

    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    assert "weber@example.org → weber@cluster.example.org" in response.content.decode()
    affiliation.refresh_from_db()
    assert (affiliation.email, affiliation.position_en) == ("weber@cluster.example.org", "CEO")


def test_second_save_of_a_focus_area_is_refused_with_what_changed(
    birgit, kenji, focus_area_factory
):
    focus_area = focus_area_factory(name="Neuroscience")
    url = reverse("admin:organizations_focusarea_change", args=[focus_area.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["name_en"] = "Neurosciences"
    assert birgit.post(url, birgits_form).status_code == 302
    kenjis_form["description_en"] = "Brain research"

    response = kenji.post(url, kenjis_form)

    assert response.status_code == 200
    assert "Neuroscience → Neurosciences" in response.content.decode()
    focus_area.refresh_from_db()
    assert (focus_area.name_en, focus_area.description_en) == ("Neurosciences", "")


def test_saving_an_event_again_after_the_refusal_keeps_the_second_editors_values(
    birgit, kenji, event_factory
):
    event = event_factory(name="BIO-Europe 2015")
    url = reverse("admin:partnerships_event_change", args=[event.pk])
    birgits_form = form_post_data(birgit.get(url))
    kenjis_form = form_post_data(kenji.get(url))
    birgits_form["name_en"] = "BIO-Europe Spring 2015"
    birgit.post(url, birgits_form)
    kenjis_form["venue_en"] = "Messe München"
    refused = kenji.post(url, kenjis_form)

    assert kenji.post(url, form_post_data(refused)).status_code == 302
    event.refresh_from_db()
    assert event.venue_en == "Messe München"
