"""Escalation through the account admin: a staff account holding the auth and OTP permissions
(which the portal's roles never hand out) still cannot raise its own or anyone's rights, touch a
superuser, change a role's permissions, or read an authenticator secret (portal/admin.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.admin_post import form_post_data

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


def user_form_data(page) -> dict:
    """The user change page's POST, its split date-and-time fields as a browser sends them."""
    data = form_post_data(page)
    for name in ("date_joined", "last_login"):
        value = data.pop(name, None)
        if value:
            day, _, time = value.partition(" ")
            data[f"{name}_0"], data[f"{name}_1"] = day, time[:8]
    return data


@pytest.fixture
def bob(django_user_model):
    """Bob is staff with every auth and OTP permission, but no superuser."""
    bob = django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD, is_staff=True)
    bob.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=("auth", "otp_totp"))
    )
    return bob


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)


def test_bob_cannot_make_himself_superuser_or_join_a_group_or_grant_permissions(bob_client, bob):
    group = Group.objects.create(name="Portal administrators")
    url = reverse("admin:auth_user_change", args=[bob.pk])
    page = bob_client.get(url)
    assert page.status_code == 200
    data = user_form_data(page)
    data |= {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [str(group.pk)],
        "user_permissions": [str(Permission.objects.get(codename="delete_user").pk)],
        "first_name": "Bob",
    }

    response = bob_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    bob.refresh_from_db()
    assert bob.first_name == "Bob"
    assert not bob.is_superuser
    assert not bob.groups.exists()
    assert not bob.user_permissions.filter(codename="delete_user", content_type__app_label="x")
    assert (
        bob.user_permissions.count()
        == Permission.objects.filter(content_type__app_label__in=("auth", "otp_totp")).count()
    )  # unchanged


def test_bob_cannot_see_change_or_reset_the_password_of_a_superuser(bob_client, root):
    change = bob_client.get(reverse("admin:auth_user_change", args=[root.pk]))
    assert change.status_code in (302, 404)  # as for a missing account
    password = bob_client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "x-New-Pass-123", "password2": "x-New-Pass-123"},
    )
    assert password.status_code in (302, 403, 404)
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
    changelist = bob_client.get(reverse("admin:auth_user_changelist"))
    assert "root@example.com" not in changelist.content.decode()


def test_bob_cannot_change_a_role_s_permissions(bob_client, bob):
    group = Group.objects.create(name="Cluster managers")
    bob.groups.add(group)
    url = reverse("admin:auth_group_change", args=[group.pk])
    every = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]

    response = bob_client.post(url, {"name": "Cluster managers", "permissions": every})

    assert response.status_code in (200, 403)
    assert not group.permissions.exists()
    assert bob_client.post(reverse("admin:auth_group_add"), {"name": "Mine"}).status_code == 403
    assert not Group.objects.filter(name="Mine").exists()


def test_superuser_still_manages_rights(admin_client, bob):
    url = reverse("admin:auth_user_change", args=[bob.pk])
    data = user_form_data(admin_client.get(url)) | {"is_superuser": "on"}
    assert admin_client.post(url, data).status_code == 302
    bob.refresh_from_db()
    assert bob.is_superuser


def test_no_one_reads_an_authenticator_secret_after_enrolment(admin_client, bob_client, root):
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    for client in (admin_client, bob_client):
        page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
        assert device.key not in page.content.decode()
        for view in ("config", "qrcode"):
            response = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk]))
            assert response.status_code == 403
