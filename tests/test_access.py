"""Forged ids: a cluster manager POSTing another organisation's records is refused, nothing is
saved (personas: tests/personas.py)."""

import pytest
from django.urls import reverse

from partnerships.admin_forms import PartyFormSet
from partnerships.models import Agreement, AgreementParty, SigningEvent
from tests import factories
from tests.admin_post import form_post_data
from tests.personas import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def test_a_stranger_cannot_add_a_signing_event_to_another_organisations_agreement(client, cast):
    client.force_login(cast.users["stranger_manager"])
    agreement = cast.records["partnerships.agreement"]
    before = SigningEvent.objects.count()

    response = client.post(
        reverse("admin:partnerships_signingevent_add"),
        {
            "agreement": agreement.pk,
            "signed_on": "2015-11-02",
            "signatures-TOTAL_FORMS": "0",
            "signatures-INITIAL_FORMS": "0",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "agreement" in response.context["adminform"].form.errors
    assert SigningEvent.objects.count() == before


def test_a_new_agreement_must_name_one_of_the_managers_organisations(client, cast):
    client.force_login(cast.users["stranger_manager"])
    organizations = cast.records["organizations"]
    before = Agreement.objects.count()
    add_url = reverse("admin:partnerships_agreement_add")
    data = form_post_data(client.get(add_url))  # the add page as a browser sends it
    data.update(
        {
            "title_en": "Forged",
            "slug": "forged",
            "kind": Agreement.Kind.MOU,
            "state": Agreement.State.DRAFT,
            "term": Agreement.Term.UNSTATED,
            "parties-TOTAL_FORMS": "2",
            "parties-0-organization": str(organizations["biom"].pk),
            "parties-0-role": AgreementParty.Role.PARTNER,
            "parties-0-position": "0",
            "parties-1-organization": str(organizations["osaka"].pk),
            "parties-1-role": AgreementParty.Role.PARTNER,
            "parties-1-position": "1",
        }
    )

    response = client.post(add_url, data)

    assert response.status_code == 200
    assert str(PartyFormSet.own_party_missing) in response.content.decode()
    assert Agreement.objects.count() == before


def test_a_manager_cannot_affiliate_a_person_with_another_organisation(client, cast):
    client.force_login(cast.users["anna_biom_manager"])
    person = cast.records["organizations.person"]
    osaka = cast.records["organizations"]["osaka"]

    response = client.post(
        reverse("admin:organizations_affiliation_add"),
        {"person": person.pk, "organization": osaka.pk, "visibility": "public"},
    )

    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not person.affiliations.filter(organization=osaka).exists()


def test_autocomplete_hides_another_organisations_draft(client, cast):
    agreement = cast.records["partnerships.agreement"]
    url = reverse("admin:autocomplete") + (
        "?app_label=partnerships&model_name=signingevent&field_name=agreement&term=BioM"
    )
    client.force_login(cast.users["stranger_manager"])
    assert str(agreement.pk) not in {r["id"] for r in client.get(url).json()["results"]}
    client.force_login(cast.users["anna_biom_manager"])
    assert str(agreement.pk) in {r["id"] for r in client.get(url).json()["results"]}


def test_a_manager_cannot_restore_another_organisations_deleted_record(client, cast):
    factories.OrganizationFactory()
    client.force_login(cast.users["stranger_manager"])
    response = client.post(reverse("admin:partnerships_agreement_deleted_restore", args=[1]))
    assert response.status_code in (403, 404)
