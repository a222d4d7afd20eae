"""History of an agreement's (and a person's, an organisation's) related rows on the parent's
history page, and restore of the parent together with them (core/history.py,
track_related in each app's translation.py)."""

import datetime

import pghistory
import pytest
from django.db.models import F
from django.urls import reverse

from core import history
from organizations.models import Affiliation, Organization
from partnerships.models import Agreement, AgreementParty, Document, Signature, SigningEvent

pytestmark = pytest.mark.django_db


def age_all_history(hours: int = 1) -> None:
    """A test runs in one transaction, whose events all share its start time: move what is
    recorded so far back, so that the next writes are a later version."""
    for event_model in history.event_models():
        event_model.objects.update(
            pgh_created_at=F("pgh_created_at") - datetime.timedelta(hours=hours)
        )


def last_event(model, pk):
    return history.versions(model, pk)[-1].event


@pytest.fixture
def signed_agreement(agreement_party_factory, signature_factory, focus_area_factory):
    """An agreement with two parties, one focus area, a signing event with one signature."""
    party = agreement_party_factory(agreement__title="Munich–Osaka MoU")
    agreement = party.agreement
    agreement_party_factory(agreement=agreement)
    signature = signature_factory(signing_event__agreement=agreement, party=party)
    agreement.focus_areas.add(focus_area_factory(name="Biotech"))
    return agreement, signature


def test_the_agreements_history_page_lists_its_parties_and_focus_areas(
    admin_client, signed_agreement, organization_factory, focus_area_factory
):
    agreement, _ = signed_agreement
    AgreementParty.objects.create(
        agreement=agreement, organization=organization_factory(name="Kansai Cluster")
    )
    agreement.focus_areas.add(focus_area_factory(name="Robotics"))

    page = admin_client.get(
        reverse("admin:partnerships_agreement_history", args=[agreement.pk])
    ).content.decode()

    assert "Party: Kansai Cluster" in page
    assert "Robotics" in page
    assert "Signature:" in page  # a row two steps down: signing event → agreement
    kinds = {v.model for v in history.related_versions(Agreement, agreement.pk)}
    assert {AgreementParty, SigningEvent, Signature, Agreement.focus_areas.through} <= kinds


def test_related_versions_say_who_changed_what(admin_user, signed_agreement):
    agreement, signature = signed_agreement
    signature.capacity_en = "Mayor"
    with pghistory.context(user=admin_user.pk, url="/admin/"):
        signature.save()

    [latest] = [
        v
        for v in history.related_versions(Agreement, agreement.pk)
        if v.model is Signature and v.label == "update"
    ]
    assert latest.user == admin_user
    assert latest.changed == ["capacity [en]"]


def test_restoring_an_agreement_restores_its_parties_focus_areas_and_signatures(
    signed_agreement, organization_factory, focus_area_factory
):
    agreement, signature = signed_agreement
    parties_then = set(agreement.parties.values_list("pk", flat=True))
    focus_then = set(agreement.focus_areas.values_list("pk", flat=True))
    signature_then = signature.pk, signature.capacity_en
    age_all_history()
    version = last_event(Agreement, agreement.pk)

    # Later: a party added, another removed (with its signature), a focus area swapped, a
    # signing event added.
    AgreementParty.objects.create(agreement=agreement, organization=organization_factory())
    signature.delete()
    agreement.parties.exclude(pk=signature.party_id).delete()
    agreement.focus_areas.set([focus_area_factory()])
    SigningEvent.objects.create(agreement=agreement, signed_on=datetime.date(2020, 1, 1))
    agreement.title_en = "Changed"
    agreement.save()

    history.history_restore(event=version)

    agreement.refresh_from_db()
    assert agreement.title_en == "Munich–Osaka MoU"
    assert set(agreement.parties.values_list("pk", flat=True)) == parties_then
    assert set(agreement.focus_areas.values_list("pk", flat=True)) == focus_then
    assert agreement.signing_events.count() == 1
    restored = Signature.objects.get(pk=signature_then[0])
    assert restored.capacity_en == signature_then[1]


def test_a_restore_leaves_documents_as_they_are(signed_agreement, document_factory):
    agreement, _ = signed_agreement
    age_all_history()
    version = last_event(Agreement, agreement.pk)
    document = document_factory(agreement=agreement)

    history.history_restore(event=version)

    assert Document.objects.filter(pk=document.pk).exists()


def test_a_persons_history_lists_and_restores_affiliations(affiliation_factory):
    affiliation = affiliation_factory(position="Director")
    person = affiliation.person
    age_all_history()
    version = last_event(type(person), person.pk)
    affiliation.position_en = "Chair"
    affiliation.save()
    affiliation_factory(person=person)

    assert {v.model for v in history.related_versions(type(person), person.pk)} == {Affiliation}
    history.history_restore(event=version)

    assert list(person.affiliations.values_list("position_en", flat=True)) == ["Director"]


def test_an_organisations_focus_areas_are_restored(organization_factory, focus_area_factory):
    biotech, robotics = focus_area_factory(name="Biotech"), focus_area_factory(name="Robotics")
    organization = organization_factory()
    organization.focus_areas.set([biotech])
    age_all_history()
    version = last_event(Organization, organization.pk)
    organization.focus_areas.set([robotics])

    history.history_restore(event=version)

    assert list(organization.focus_areas.all()) == [biotech]


def test_a_publication_step_names_no_bookkeeping_column_and_is_not_restorable(
    signed_agreement,
):
    from partnerships.services import agreement_submit_for_review

    agreement, _ = signed_agreement
    Agreement.objects.filter(pk=agreement.pk).update(publication="draft")
    age_all_history()

    agreement_submit_for_review(agreement=Agreement.objects.get(pk=agreement.pk), user=None)

    latest = history.versions(Agreement, agreement.pk)[-1]
    assert (latest.changed, latest.restorable) == ([], False)
