"""Agreements' history protects the organisations and people it names; documents' files."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from core.deletion import DeletionRefused, deletion_refusals
from organizations.models import Organization, Person
from organizations.search.organizations import search_organizations
from partnerships.models import Document

pytestmark = pytest.mark.django_db


def test_an_organisation_that_was_ever_a_party_cannot_be_deleted(agreement_party_factory):
    party = agreement_party_factory(agreement__title="Munich–Osaka MoU")
    organization = party.organization
    party.delete()  # no longer a party, but the history says it was

    with pytest.raises(DeletionRefused) as refused:
        organization.delete()

    assert "appears in the history of agreement “Munich–Osaka MoU”: archive it instead" in str(
        refused.value
    )
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_queryset_delete_is_refused_too(statement_factory):
    statement = statement_factory()
    person = statement.person
    statement.delete()

    with pytest.raises(DeletionRefused), transaction.atomic():
        Person.objects.filter(pk=person.pk).delete()

    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("factory_name", ["signature_factory", "attendance_factory"])
def test_a_person_who_signed_or_attended_cannot_be_deleted(request, factory_name):
    record = request.getfixturevalue(factory_name)()
    person = record.person
    record.delete()

    assert deletion_refusals(person)
    with pytest.raises(DeletionRefused):
        person.delete()


def test_a_person_once_an_agreement_contact_cannot_be_deleted(agreement_contact_factory):
    contact = agreement_contact_factory()
    person = contact.affiliation.person
    contact.delete()

    assert deletion_refusals(person)


def test_people_and_organisations_outside_any_agreement_can_be_deleted(
    person_factory, affiliation_factory
):
    affiliation = affiliation_factory()
    person, organization = affiliation.person, affiliation.organization

    person.delete()
    organization.delete()

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_archived_organisations_are_left_out_of_search(organization_factory):
    kept = organization_factory(name="Zebrafish Cluster Alpha")
    organization_factory(name="Zebrafish Cluster Beta", is_archived=True)

    found = search_organizations(q="Zebrafish")

    assert list(found.results[:10]) == [kept]


# --- Document files ---------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _document_with_file(document_factory, name="agreement.pdf"):
    return document_factory(url="", text="", file=ContentFile(b"%PDF-1.4 test", name=name))


def test_deleting_a_document_deletes_its_file_after_commit(
    document_factory, media_root, django_capture_on_commit_callbacks
):
    document = _document_with_file(document_factory)
    path = media_root / document.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.delete()
    assert path.exists()  # not before the commit

    for callback in callbacks:
        callback()
    assert not path.exists()


def test_deleting_the_agreement_deletes_its_documents_files(
    document_factory, media_root, django_capture_on_commit_callbacks
):
    document = _document_with_file(document_factory)
    path = media_root / document.file.name
    document.agreement.signing_events.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        document.agreement.delete()

    assert not path.exists()


def test_a_rolled_back_deletion_keeps_the_file(
    document_factory, media_root, django_capture_on_commit_callbacks
):
    document = _document_with_file(document_factory)
    path = media_root / document.file.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Document.objects.filter(pk=document.pk).delete()
                raise RuntimeError
        except RuntimeError:
            pass

    assert callbacks == []
    assert path.exists()


def test_replacing_a_file_deletes_the_old_one_after_commit(
    document_factory, media_root, django_capture_on_commit_callbacks
):
    document = _document_with_file(document_factory, "first.pdf")
    old_path = media_root / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        document.file.save("second.pdf", ContentFile(b"%PDF-1.4 new"), save=True)

    assert not old_path.exists()
    assert (media_root / document.file.name).exists()
