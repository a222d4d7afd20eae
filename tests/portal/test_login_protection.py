"""Brute-force protection of the admin login (django-axes, portal.security) and the security log.

The rule: 5 failed logins from one address, and the login from it is refused — even with the
right password — until 30 minutes have passed without a failure. An account is never locked:
its failed logins slow each further attempt on it, by a pause that grows to at most 5 seconds.
"""

import datetime
import io
import logging

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password
LOGIN_URL = "/admin/login/"


@pytest.fixture
def alice(django_user_model):
    """Alice is a staff member with a known password."""
    return django_user_model.objects.create_user(
        username="alice", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(
        username="bob", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture(autouse=True)
def pauses(monkeypatch) -> list[float]:
    """The slowdown's pauses, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr("portal.security.sleep", recorded.append)
    return recorded


def log_in(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_logs_in(client, alice):
    response = log_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_five_wrong_passwords_then_the_right_one_is_refused(client, alice):
    statuses = [log_in(client, "alice", "wrong").status_code for _ in range(5)]
    # Four times the form again, with its error; the fifth failure locks the account out.
    assert statuses == [200, 200, 200, 200, 429]

    response = log_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)
    assert "Too many failed logins" in response.content.decode()


def test_four_wrong_passwords_do_not_lock_out(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong")

    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_an_account_is_never_locked_whatever_the_guesses_from_other_addresses(client, alice):
    for n in range(8):
        log_in(client, "alice", "wrong", ip=f"198.51.100.{n + 1}")

    response = log_in(client, "alice", PASSWORD, ip="192.0.2.50")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_each_failure_on_an_account_slows_the_next_attempt_up_to_five_seconds(
    client, alice, pauses
):
    for n in range(9):
        log_in(client, "alice", "wrong", ip=f"198.51.100.{n + 1}")
    log_in(client, "alice", PASSWORD, ip="192.0.2.50")

    # No pause for the first attempts (a typo), then doubling, at most 5 s.
    assert pauses == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_the_slowdown_is_the_accounts_not_the_addresss(client, alice, bob, pauses):
    for n in range(4):
        log_in(client, "alice", "wrong", ip=f"198.51.100.{n + 1}")
    pauses.clear()

    assert log_in(client, "bob", PASSWORD, ip="198.51.100.1").status_code == 302
    assert pauses == []


def test_the_slowdown_ends_30_minutes_after_the_last_failure(client, alice, pauses):
    for n in range(4):
        log_in(client, "alice", "wrong", ip=f"198.51.100.{n + 1}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=31))
    pauses.clear()

    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert pauses == []


def test_an_address_is_locked_out_whatever_the_accounts_it_tries(client, alice, bob):
    for name in ("carol", "dave", "erin", "frank", "grace"):
        log_in(client, name, "wrong", ip="203.0.113.9")

    response = log_in(client, "bob", PASSWORD, ip="203.0.113.9")

    assert response.status_code == 429
    assert not is_logged_in(client)
    # Bob from another address is not concerned.
    assert log_in(client, "bob", PASSWORD, ip="192.0.2.60").status_code == 302


def test_the_lockout_ends_30_minutes_after_the_last_failure(client, alice):
    for _ in range(5):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 429

    # 29 minutes later: still locked. (The refused attempt above counts as a failure too.)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=29))
    assert AccessAttempt.objects.exists()
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429

    # 31 minutes after the last failure: the right password gets in again.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=31))
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lockout_page_is_the_admins_and_says_why(client, alice):
    for _ in range(5):
        log_in(client, "alice", "wrong")

    content = log_in(client, "alice", "wrong").content.decode()

    assert 'id="lockout-message"' in content
    assert "After 5 failed logins" in content
    assert 'id="site-name"' in content  # the admin's header


def test_the_address_behind_trusted_proxies_is_the_one_counted(client, alice, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            LOGIN_URL,
            {"username": f"nobody{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, 198.51.100.{n + 1}",  # the first one is spoofed
        )

    # Five different clients behind one proxy: none of them is locked out.
    assert log_in(client, "alice", PASSWORD, ip="10.0.0.2").status_code == 302


def test_force_login_and_the_admin_client_are_not_affected(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200


# The security log: one line for each event, never a password.


def security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "portal.security"]


def test_a_login_is_logged(client, alice, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    log_in(client, "alice", PASSWORD)

    assert security_lines(caplog) == ["login user='alice' ip=203.0.113.7"]


def test_a_failed_login_is_logged_without_the_password(client, alice, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    log_in(client, "alice", "hunter2-secret")

    assert security_lines(caplog) == ["login failed username='alice' ip=203.0.113.7"]
    assert "hunter2-secret" not in caplog.text


def test_a_lockout_is_logged(client, alice, caplog):
    for _ in range(4):
        log_in(client, "alice", "wrong")
    caplog.set_level(logging.INFO, logger="portal.security")
    caplog.clear()

    log_in(client, "alice", "wrong")

    assert sorted(security_lines(caplog)) == [
        "lockout username='alice' ip=203.0.113.7",
        "login failed username='alice' ip=203.0.113.7",
        "login slowed username='alice' pause=1.0s ip=203.0.113.7",
    ]


def test_a_logout_is_logged(client, alice, caplog):
    log_in(client, "alice", PASSWORD)
    caplog.set_level(logging.INFO, logger="portal.security")
    caplog.clear()

    client.post(reverse("admin:logout"), REMOTE_ADDR="203.0.113.7")

    assert security_lines(caplog) == ["logout user='alice' ip=203.0.113.7"]
    assert not is_logged_in(client)


def test_the_development_admin_logs_in_through_the_form(client, settings, db):
    from django.core.management import call_command

    settings.DEBUG = True  # ensure_dev_superuser refuses without it
    call_command("ensure_dev_superuser", "--allow-database-url", stdout=None)

    response = client.post(LOGIN_URL, {"username": "admin", "password": "admin", "next": "/admin/"})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# Unlocking an address: an administrator, in the admin or with axes' command.


@pytest.fixture
def cast():
    from tests.personas import build_cast

    return build_cast()


def lock_out(client, ip: str = "203.0.113.7") -> None:
    for name in ("carol", "dave", "erin", "frank", "grace"):
        log_in(client, name, "wrong", ip=ip)


def test_an_administrator_unlocks_an_address_in_the_admin(client, alice, cast):
    lock_out(client)
    assert log_in(client, "alice", PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(cast.users["admin_administrator"])
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "203.0.113.7" in admin.get(changelist).content.decode()

    response = admin.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_cluster_manager_cannot_see_the_access_attempts(client, alice, cast):
    lock_out(client)
    manager = Client()
    manager.force_login(cast.users["anna_biom_manager"])

    assert manager.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_axes_reset_ip_unlocks_an_address(client, alice):
    from django.core.management import call_command

    lock_out(client)

    call_command("axes_reset_ip", "203.0.113.7", stdout=io.StringIO())

    assert log_in(client, "alice", PASSWORD).status_code == 302
