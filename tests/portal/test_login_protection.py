"""Brute-force protection of the admin login (django-axes) and the security log.

The rule: 5 failed logins for one account, or from one address, and the login is refused — even
with the right password — until 30 minutes have passed without a failure.
"""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.db.models import F
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


def test_an_account_is_locked_out_whatever_the_address_the_guesses_come_from(client, alice):
    for n in range(5):
        log_in(client, "alice", "wrong", ip=f"198.51.100.{n + 1}")

    response = log_in(client, "alice", PASSWORD, ip="192.0.2.50")

    assert response.status_code == 429
    assert not is_logged_in(client)


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
