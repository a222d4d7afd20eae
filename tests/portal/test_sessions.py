"""Admin sessions: a working day of inactivity ends them; production's cookies are __Host-."""

import datetime
import json
import os
import subprocess
import sys

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

ROOT = settings.BASE_DIR
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password
PRODUCTION_COOKIES = {
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "CSRF_COOKIE_SECURE": True,
}


def test_production_settings_use_host_only_secure_cookies_and_require_2fa():
    names = [
        *PRODUCTION_COOKIES,
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "PORTAL_REQUIRE_ADMIN_2FA",
        "ADMIN_URL",
    ]
    code = (
        "import json, sys; from portal.settings import production as s; "
        "print(json.dumps({n: getattr(s, n) for n in sys.argv[1:]}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env |= {"DJANGO_SECRET_KEY": "s" * 50, "DATABASE_URL": "postgres://alice@db.example/portal"}
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(done.stdout)

    assert {name: values[name] for name in PRODUCTION_COOKIES} == PRODUCTION_COOKIES
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_AGE"] == 10 * 60 * 60
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True
    assert values["PORTAL_REQUIRE_ADMIN_2FA"] is True
    assert values["ADMIN_URL"] == "admin/"


@override_settings(**PRODUCTION_COOKIES)
def test_the_session_cookie_is_host_only_secure_httponly_and_lax(client, django_user_model):
    django_user_model.objects.create_user(username="alice", password=PASSWORD, is_staff=True)

    response = client.post(
        "/admin/login/", {"username": "alice", "password": PASSWORD}, secure=True
    )

    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]  # what __Host- demands
    assert cookie["max-age"] == 10 * 60 * 60


def test_each_admin_request_renews_the_session(admin_client):
    admin_client.get("/admin/")
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    admin_client.get("/admin/")

    left = Session.objects.get().expire_date - timezone.now()
    assert left > datetime.timedelta(hours=9, minutes=59)


def test_a_session_idle_for_a_working_day_is_over(admin_client):
    admin_client.get("/admin/")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = admin_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
