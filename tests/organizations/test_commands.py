"""``manage.py ensure_dev_superuser``: a known admin login, for development only."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def ensure_dev_superuser() -> str:
    out = StringIO()
    call_command("ensure_dev_superuser", stdout=out)
    return out.getvalue()


def test_ensure_dev_superuser_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        ensure_dev_superuser()

    assert not get_user_model().objects.exists()


def test_ensure_dev_superuser_creates_a_superuser_admin_with_password_admin(db, settings):
    settings.DEBUG = True

    ensure_dev_superuser()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password("admin")


def test_ensure_dev_superuser_resets_an_existing_admin(db, settings):
    settings.DEBUG = True
    get_user_model().objects.create_user(username="admin", password="forgotten", is_active=False)

    ensure_dev_superuser()

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert get_user_model().objects.count() == 1


def test_ensure_dev_superuser_prints_the_admin_url_on_the_port_from_the_environment(
    db, settings, monkeypatch
):
    settings.DEBUG = True
    monkeypatch.setenv("PORT", "8123")

    output = ensure_dev_superuser()

    assert (
        "Admin: http://127.0.0.1:8123/admin/ — user admin, password admin (development only)"
        in output
    )


def test_ensure_dev_superuser_defaults_to_port_8000(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("PORT", raising=False)

    assert "http://127.0.0.1:8000/admin/" in ensure_dev_superuser()
