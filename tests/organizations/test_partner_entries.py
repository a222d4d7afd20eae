"""The recording side gives the partner's signatory a position at the partner organisation
(Affiliation.entered_by, organizations/access.py, issue 19): marked as entered for the partner,
editable by the side that entered it, and the partner's own once its manager approves an agreement
naming the person.

Personas (tests/personas.py): Anna manages BioM, Kenji manages Osaka, BioM's partner on a signed
agreement; the stranger manages a cluster that shares no agreement with BioM.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import access
from organizations.access import affiliation_organizations
from organizations.models import Affiliation, Organization, Person
from partnerships.models import Agreement
from partnerships.services import agreement_approve, agreement_submit_for_review
from tests import factories
from tests.admin_post import form_post_data
from tests.personas import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def org(name):
    return Organization.objects.get(name=name)


def add_person_with_position(client, user, organization):
    """Anna's "+" on a signature: a new person with a position, posted from the add page."""
    client.force_login(user)
    url = reverse("admin:organizations_person_add")
    data = form_post_data(client.get(url))
    data.update(
        {
            "given_name": "Jean",
            "family_name": "Partnersignatory",
            "slug": "jean-partnersignatory",
            "affiliations-TOTAL_FORMS": "1",
            "affiliations-0-organization": str(organization.pk),
            "affiliations-0-position_en": "President",
            "affiliations-0-visibility": "public",
            "affiliations-0-is_current": "on",
        }
    )
    return client.post(url, data)


def test_a_manager_may_give_positions_at_their_partners_not_at_strangers(cast):
    anna = cast.users["anna_biom_manager"]

    names = set(
        affiliation_organizations(anna, Organization.objects.all()).values_list("name", flat=True)
    )

    assert names == {"BioM Test", "Osaka Bio Test"}


def test_a_position_at_the_partner_is_marked_as_entered_for_it(client, cast):
    response = add_person_with_position(
        client, cast.users["anna_biom_manager"], org("Osaka Bio Test")
    )

    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms],
    )
    affiliation = Affiliation.objects.get(person__family_name="Partnersignatory")
    assert affiliation.organization == org("Osaka Bio Test")
    assert affiliation.entered_by == org("BioM Test")
    assert access.can_edit(cast.users["anna_biom_manager"], affiliation)
    assert access.can_edit(cast.users["kenji_osaka_manager"], affiliation)


def test_a_position_at_a_stranger_is_refused(client, cast):
    response = add_person_with_position(
        client, cast.users["anna_biom_manager"], org("Stranger Cluster")
    )

    assert response.status_code == 200
    assert not Person.objects.filter(family_name="Partnersignatory").exists()


def test_the_partners_approval_makes_the_position_its_own(client, cast):
    add_person_with_position(client, cast.users["anna_biom_manager"], org("Osaka Bio Test"))
    person = Person.objects.get(family_name="Partnersignatory")
    agreement = Agreement.objects.filter(parties__organization=org("Osaka Bio Test")).first()
    signing = factories.SigningEventFactory(agreement=agreement)
    factories.SignatureFactory(
        signing_event=signing,
        person=person,
        party=agreement.parties.get(organization=org("Osaka Bio Test")),
    )
    Agreement.objects.filter(pk=agreement.pk).update(publication=Agreement.Publication.DRAFT)
    agreement.refresh_from_db()
    agreement_submit_for_review(agreement=agreement, user=cast.users["anna_biom_manager"])

    agreement_approve(
        agreement=agreement,
        organization=org("Osaka Bio Test"),
        user=cast.users["kenji_osaka_manager"],
    )

    affiliation = Affiliation.objects.get(person=person)
    assert affiliation.entered_by is None
    assert not access.can_edit(cast.users["anna_biom_manager"], affiliation)
    assert access.can_edit(cast.users["kenji_osaka_manager"], affiliation)
