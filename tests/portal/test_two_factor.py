"""The admin's second factor (portal/two_factor.py, django-otp TOTP).

Alice is a superuser, Sam a staff member who is not one.
"""

import logging
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin.sites import PortalAdminSite
from portal.two_factor import TwoFactorAdminSite

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password
LOGIN_URL = "/admin/login/"
INDEX_URL = "/admin/"
ENROL_URL = "/admin/two-factor/"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def sam(django_user_model):
    return django_user_model.objects.create_user(username="sam", password=PASSWORD, is_staff=True)


@pytest.fixture
def require_2fa(settings):
    settings.PORTAL_REQUIRE_ADMIN_2FA = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def log_in(client, username: str, code: str = ""):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": PASSWORD, "otp_token": code, "next": INDEX_URL},
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_without_an_app_logs_in_with_the_password_when_not_required(client, sam):
    response = log_in(client, "sam")

    assert response.status_code == 302
    assert client.get(INDEX_URL).status_code == 200


def test_the_login_page_asks_for_the_code(client):
    content = client.get(LOGIN_URL).content.decode()

    assert 'name="otp_token"' in content
    assert 'autocomplete="one-time-code"' in content


def test_an_enrolled_user_logs_in_with_the_apps_code(client, sam):
    device = enrolled(sam)

    response = log_in(client, "sam", current_code(device))

    assert response.status_code == 302
    assert client.get(INDEX_URL).status_code == 200


def test_an_enrolled_user_is_refused_without_a_code(client, sam):
    enrolled(sam)

    response = log_in(client, "sam")

    assert response.status_code == 200
    assert "Please enter the code from your authenticator app." in response.content.decode()
    assert not is_logged_in(client)


def test_a_wrong_code_is_refused(client, sam):
    device = enrolled(sam)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = log_in(client, "sam", wrong)

    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert not is_logged_in(client)
    assert client.get(INDEX_URL).status_code == 302


def test_a_code_does_not_replace_the_password(client, sam):
    device = enrolled(sam)

    response = client.post(
        LOGIN_URL, {"username": "sam", "password": "wrong", "otp_token": current_code(device)}
    )

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_an_enrolled_users_session_without_the_code_cannot_use_the_admin(client, sam):
    enrolled(sam)
    client.force_login(sam)  # e.g. a session from before the app was set up

    response = client.get(INDEX_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_when_required_a_superuser_without_an_app_cannot_reach_the_admin_index(
    client, alice, require_2fa
):
    log_in(client, "alice")

    response = client.get(INDEX_URL, follow=True)

    assert response.redirect_chain[-1][0] == ENROL_URL
    assert "Administrators must use an authenticator app" in response.content.decode()
    assert client.get(reverse("admin:partnerships_agreement_changelist")).status_code == 302


def test_when_required_a_portal_administrator_without_an_app_cannot_reach_the_admin_index(
    client, sam, require_2fa
):
    # Not a superuser, but in "Portal administrators": sees and changes everything.
    from core.access import ADMINISTRATORS_GROUP

    sam.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    log_in(client, "sam")

    response = client.get(INDEX_URL, follow=True)

    assert response.redirect_chain[-1][0] == ENROL_URL
    assert client.get(reverse("admin:partnerships_agreement_changelist")).status_code == 302


def test_when_required_staff_who_are_not_administrators_may_still_log_in_without_an_app(
    client, sam, require_2fa
):
    log_in(client, "sam")

    assert client.get(INDEX_URL).status_code == 200


def test_enrolment_shows_the_secret_as_text_uri_and_qr_code(client, alice, require_2fa):
    log_in(client, "alice")

    content = client.get(ENROL_URL).content.decode()

    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert device.config_url.replace("&", "&amp;") in content
    assert "otpauth://totp/Cluster%20Partnership%20Portal%3Aalice?secret=" in content
    assert re.search(r'<code id="two-factor-secret">[A-Z2-7 ]+</code>', content)
    assert "<svg" in content


def test_enrolling_with_a_wrong_code_leaves_the_admin_closed(client, alice, require_2fa):
    log_in(client, "alice")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=alice)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL_URL, {"token": wrong})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(INDEX_URL).status_code == 302


def test_enrolling_with_the_apps_code_opens_the_admin(client, alice, require_2fa):
    log_in(client, "alice")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=alice)

    response = client.post(ENROL_URL, {"token": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == INDEX_URL
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(INDEX_URL).status_code == 200


def test_the_next_login_needs_the_code_after_enrolling(client, alice, require_2fa):
    device = enrolled(alice)

    assert not is_logged_in(client) and log_in(client, "alice").status_code == 200
    assert log_in(client, "alice", current_code(device)).status_code == 302
    assert client.get(INDEX_URL).status_code == 200


def test_enrolment_is_for_staff_only(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="visitor"))

    assert client.get(ENROL_URL).status_code == 302
    assert not TOTPDevice.objects.exists()


def test_an_enrolled_user_without_the_code_cannot_add_another_app(client, sam):
    enrolled(sam)
    client.force_login(sam)

    response = client.get(ENROL_URL)

    assert response.status_code == 302
    assert TOTPDevice.objects.count() == 1


def test_a_wrong_code_is_logged_as_one_line(client, sam, caplog):
    device = enrolled(sam)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    caplog.set_level(logging.INFO, logger="portal.security")

    log_in(client, "sam", wrong)

    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert lines == ["second factor refused user='sam'"]


def test_the_admin_site_is_the_portals():
    assert isinstance(admin.site, PortalAdminSite)
    assert isinstance(admin.site, TwoFactorAdminSite)


@pytest.fixture
def manager(django_user_model):
    """Mia, a cluster manager (the role's group)."""
    from core.access import MANAGERS_GROUP
    from portal.roles import setup_roles

    setup_roles()
    user = django_user_model.objects.create_user(username="mia", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return user


def test_a_cluster_manager_is_offered_the_second_factor_and_enrols(client, manager, require_2fa):
    log_in(client, "mia")

    index = client.get(INDEX_URL).content.decode()  # not required of her: the admin is open
    assert f'<a href="{ENROL_URL}">Two-factor authentication</a>' in index
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=manager)
    response = client.post(ENROL_URL, {"token": current_code(device)})

    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=manager).confirmed


def test_after_enrolling_a_cluster_manager_logs_in_with_the_code_only(client, manager):
    device = enrolled(manager)

    assert log_in(client, "mia").status_code == 200  # no code: refused
    assert not is_logged_in(client)
    assert log_in(client, "mia", current_code(device)).status_code == 302
    assert is_logged_in(client)
