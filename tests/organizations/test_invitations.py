"""Invite a manager (organizations/invitations.py) and staff password reset (portal/accounts.py).

Personas (tests/personas.py): Anna manages BioM and invites her colleague Hanako, who reads
Japanese; the stranger manages an unrelated cluster and may not invite anyone to BioM; Lena is
linked to BioM without the managers' group; the administrator may invite to any organisation.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from core.access import MANAGERS_GROUP
from core.models import UserPreference, language_of
from organizations.models import ClusterManager, Organization
from tests.personas import build_cast

pytestmark = pytest.mark.django_db

HANAKO = {"name": "Hanako Tanaka", "email": "Hanako@Example.org", "language": "ja"}


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def biom(cast):
    return Organization.objects.get(short_name="BioM")


def invite_url(organization):
    return reverse("admin:organizations_organization_invite", args=[organization.pk])


@pytest.fixture
def invite(client, cast, biom, django_capture_on_commit_callbacks):
    def run(persona="anna_biom_manager", data=HANAKO, organization=None):
        client.force_login(cast.users[persona])
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(invite_url(organization or biom), data)

    return run


def link_in(message) -> str:
    return next(line for line in message.body.splitlines() if "/welcome/" in line).strip()


def test_a_manager_invites_a_colleague_who_arrives_as_a_manager_of_the_organisation(invite, biom):
    response = invite()

    assert response.status_code == 302
    user = get_user_model().objects.get(email="Hanako@example.org")
    assert (user.first_name, user.last_name) == ("Hanako", "Tanaka")
    assert user.is_staff and user.is_active and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [MANAGERS_GROUP]
    assert list(
        ClusterManager.objects.filter(user=user).values_list("organization", flat=True)
    ) == [biom.pk]
    assert language_of(user) == "ja"


def test_the_invitation_is_one_mail_in_the_invitees_language_with_a_link(invite):
    invite()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Hanako@example.org"]
    assert message.extra_headers["Content-Language"] == "ja"
    assert "BioM" in message.subject and "招待" in message.subject
    assert link_in(message).startswith("https://portal.example/admin/welcome/")


def test_the_link_sets_a_password_once(invite, client):
    invite()
    link = link_in(mail.outbox[0]).removeprefix("https://portal.example")
    client.logout()

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long pass phrase 2026", "new_password2": "a long pass phrase 2026"},
    )

    user = get_user_model().objects.get(email="Hanako@example.org")
    assert user.check_password("a long pass phrase 2026")
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


@pytest.mark.parametrize(
    "persona", ["stranger_manager", "lena_biom_no_group", "nopermission_staff"]
)
def test_only_those_who_may_change_the_organisation_may_invite(invite, persona):
    response = invite(persona=persona)

    assert response.status_code in (403, 404)
    assert not get_user_model().objects.filter(email__iexact=HANAKO["email"]).exists()
    assert mail.outbox == []


def test_an_administrator_may_invite_to_any_organisation(invite):
    assert invite(persona="admin_administrator").status_code == 302
    assert len(mail.outbox) == 1


def test_an_address_with_an_account_is_refused_and_nothing_is_written(invite, cast):
    cast.users["stranger_manager"].email = "hanako@example.org"
    cast.users["stranger_manager"].save()
    users = get_user_model().objects.count()

    response = invite()

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == users
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_undo_the_invitation(invite):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError):
        response = invite()

    assert response.status_code == 302
    assert get_user_model().objects.filter(email="Hanako@example.org").exists()


def test_the_organisation_page_offers_the_invitation_to_its_managers_only(client, cast, biom):
    client.force_login(cast.users["anna_biom_manager"])
    page = client.get(reverse("admin:organizations_organization_change", args=[biom.pk]))
    assert invite_url(biom) in page.content.decode()

    client.force_login(cast.users["stranger_manager"])
    page = client.get(reverse("admin:organizations_organization_change", args=[biom.pk]))
    assert invite_url(biom) not in page.content.decode()


def test_the_invitation_page_keeps_its_query_budget(
    client, cast, biom, django_assert_max_num_queries
):
    client.force_login(cast.users["anna_biom_manager"])
    # session, user, second-factor device, administrator?, managed organisations, the
    # organisation, permissions (user's, groups'), the scope check, the session saved
    # (savepoint, update, release)
    with django_assert_max_num_queries(12):
        response = client.get(invite_url(biom))
    assert response.status_code == 200
    assert len(response.content) < 40_000


# --- Staff password reset -------------------------------------------------------------------


def test_a_staff_member_resets_a_forgotten_password_by_mail_in_their_language(client, cast):
    anna = cast.users["anna_biom_manager"]
    anna.email = "anna@example.org"
    anna.set_password("old password 2026")
    anna.save()
    UserPreference.objects.update_or_create(user=anna, defaults={"language": "de"})

    login = client.get(reverse("admin:login"))
    assert reverse("admin_password_reset") in login.content.decode()
    response = client.post(reverse("admin_password_reset"), {"email": "anna@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Passwort" in mail.outbox[0].body
    assert "/admin/reset/" in mail.outbox[0].body


def test_a_non_staff_account_gets_no_reset_mail(client, db):
    get_user_model().objects.create_user(
        "visitor",
        email="v@example.org",
        password="x-y-z-2026",  # noqa: S106 - test password
    )

    client.post(reverse("admin_password_reset"), {"email": "v@example.org"})

    assert mail.outbox == []


def test_a_manager_invites_a_translator_who_arrives_in_the_translators_group(invite, biom):
    from core.access import TRANSLATORS_GROUP, translates_only

    invite(data={**HANAKO, "role": "translator"})

    user = get_user_model().objects.get(email="Hanako@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [TRANSLATORS_GROUP]
    assert list(
        ClusterManager.objects.filter(user=user).values_list("organization", flat=True)
    ) == [biom.pk]
    assert translates_only(user)


def test_the_translators_invitation_says_they_are_to_translate(invite):
    invite(data={**HANAKO, "language": "en", "role": "translator"})

    [message] = mail.outbox
    assert message.subject.startswith("You are invited to translate for BioM")
    assert "invited you to translate the texts of" in message.body


def test_a_translator_invites_nobody(invite, biom):
    response = invite(persona="tomoko_biom_translator", data={**HANAKO, "role": "manager"})

    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="Hanako@example.org").exists()
