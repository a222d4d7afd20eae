"""The admin's history pages, restore, deleted records, refused deletions, privacy requests, and
atomic saves."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError
from django.urls import reverse

from core import access, history
from organizations.models import Organization, Person
from partnerships.models import Agreement, Statement
from tests.partnerships.test_admin import (  # noqa: F401 - the cast fixture
    ADD_URL,
    agreement_post_data,
    cast,
    nothing_was_written,
)

pytestmark = pytest.mark.django_db


def _user(client, *perms):
    user = get_user_model().objects.create_user("editor", is_staff=True)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return user


@pytest.fixture
def edited_organization(organization_factory, admin_client):
    organization = organization_factory(name="Bio Cluster Munich")
    organization.name_de = "Biocluster München"
    organization.name_ja = "ミュンヘン・バイオクラスター"
    organization.email = "info@example.org"
    organization.save()
    return organization


def test_the_history_page_lists_versions_with_who_and_what(admin_client, organization_factory):
    organization = organization_factory(name="Bio Cluster")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = admin_client.get(url).context["adminform"].form.initial
    post = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    post.update(
        name_en="Bio Cluster",
        name_de="Biocluster",
        region=organization.region_id,
        **{
            f"{prefix}-{suffix}": value
            for prefix in ("affiliations", "children", "cluster_managers")
            for suffix, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    )
    post.pop("focus_areas", None)
    post.pop("logo", None)  # the partner profile's logo: an empty file field, nothing to send
    response = admin_client.post(url, post)
    assert response.status_code == 302, response.context["adminform"].form.errors

    page = admin_client.get(
        reverse("admin:organizations_organization_history", args=[organization.pk])
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "admin" in content  # the user who saved
    assert "name [de]" in content
    assert "Restore this version" in content


def test_the_compare_page_shows_old_and_new_in_every_language(admin_client, edited_organization):
    first, second = history.versions(Organization, edited_organization.pk)
    url = reverse("admin:organizations_organization_history_compare", args=[edited_organization.pk])

    content = admin_client.get(url, {"from": first.event.pk, "to": second.event.pk}).content
    content = content.decode()

    assert "Biocluster München" in content
    assert "ミュンヘン・バイオクラスター" in content
    assert "info@example.org" in content
    assert "Show unchanged fields too" in content


def test_restore_needs_the_change_permission(client, edited_organization):
    _user(client, "view_organization")
    first = history.versions(Organization, edited_organization.pk)[0]
    history_url = reverse("admin:organizations_organization_history", args=[edited_organization.pk])
    restore_url = reverse(
        "admin:organizations_organization_history_restore",
        args=[edited_organization.pk, first.event.pk],
    )

    assert client.get(history_url).status_code == 200
    assert "Restore this version" not in client.get(history_url).content.decode()
    assert client.post(restore_url).status_code == 403
    edited_organization.refresh_from_db()
    assert edited_organization.name_de == "Biocluster München"


def test_history_needs_the_view_permission(client, edited_organization):
    _user(client)

    url = reverse("admin:organizations_organization_history", args=[edited_organization.pk])

    assert client.get(url).status_code == 403


def test_restoring_a_version_from_the_admin(admin_client, edited_organization):
    first = history.versions(Organization, edited_organization.pk)[0]

    response = admin_client.post(
        reverse(
            "admin:organizations_organization_history_restore",
            args=[edited_organization.pk, first.event.pk],
        )
    )

    assert response.status_code == 302
    edited_organization.refresh_from_db()
    assert (edited_organization.name_de, edited_organization.email) == (None, "")


def test_deleted_records_are_listed_and_restored(admin_client, person_factory):
    person = person_factory(given_name="Tadamitsu", family_name="Kishimoto")
    pk = person.pk
    person.delete()
    deleted_url = reverse("admin:organizations_person_deleted")

    page = admin_client.get(deleted_url).content.decode()
    assert "Tadamitsu Kishimoto" in page
    event = history.deleted_objects(Person)[0]
    response = admin_client.post(
        reverse("admin:organizations_person_deleted_restore", args=[event.pk])
    )

    assert response.status_code == 302
    assert Person.objects.get(pk=pk).family_name == "Kishimoto"


def test_the_changelist_links_to_deleted_records(admin_client):
    content = admin_client.get(reverse("admin:partnerships_agreement_changelist")).content
    assert reverse("admin:partnerships_agreement_deleted").encode() in content


def test_the_admin_refuses_to_delete_an_organisation_in_an_agreements_history(
    admin_client, agreement_party_factory
):
    party = agreement_party_factory(agreement__title="Munich–Osaka MoU")
    organization = party.organization
    party.delete()
    url = reverse("admin:organizations_organization_delete", args=[organization.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})

    assert "appears in the history of agreement “Munich–Osaka MoU”: archive it instead" in page
    assert Organization.objects.filter(pk=organization.pk).exists()


# --- Privacy requests ---------------------------------------------------------------------------


def test_export_needs_the_permission(client, person_factory):
    person = person_factory()
    _user(client, "view_person", "change_person")

    url = reverse("admin:organizations_person_export", args=[person.pk])

    assert client.get(url).status_code == 403


def test_export_gives_json_with_the_history(client, affiliation_factory):
    affiliation = affiliation_factory(email="first@example.org")
    affiliation.email = "second@example.org"
    affiliation.save()
    user = _user(client, "view_person", "export_person")
    # A privacy request is answered by a portal administrator (or a manager of one of the
    # person's organisations): the export holds every contact point, public or not.
    user.groups.add(Group.objects.get_or_create(name=access.ADMINISTRATORS_GROUP)[0])

    response = client.get(
        reverse("admin:organizations_person_export", args=[affiliation.person_id])
    )

    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert "first@example.org" in {row["email"] for row in data["history"]["affiliations"]}


def test_erase_from_the_admin(admin_client, affiliation_factory):
    person = affiliation_factory(person__family_name="Uniquefamily").person
    url = reverse("admin:organizations_person_erase", args=[person.pk])

    assert "This cannot be undone" in admin_client.get(url).content.decode()
    admin_client.post(url)

    person.refresh_from_db()
    assert person.family_name == f"#{person.pk}"


# --- Atomic saves -------------------------------------------------------------------------------


def test_an_inline_failing_after_the_agreement_was_saved_leaves_nothing_written(
    admin_client,
    cast,  # noqa: F811 - the fixture imported from test_admin
    monkeypatch,
):
    first, second = cast["parties"]
    data = agreement_post_data(
        parties=[first, second],
        signatory=cast["signatory"],
        on_behalf_of=first,
        speaker=cast["speaker"],
    )
    saved = []
    real_save = Agreement.save

    def recording_save(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        saved.append(self.pk)

    def failing_save(self, *args, **kwargs):
        raise IntegrityError("simulated failure of an inline")

    monkeypatch.setattr(Agreement, "save", recording_save)
    monkeypatch.setattr(Statement, "save", failing_save)

    with pytest.raises(IntegrityError):
        admin_client.post(ADD_URL, data)

    assert saved, "the agreement itself was saved before the inline failed"
    assert nothing_was_written()
    assert not history.event_model_for(Agreement).objects.exists()
