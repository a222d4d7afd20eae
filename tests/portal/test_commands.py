"""``manage.py ensure_dev_superuser``: a known admin login, for a development database only."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

DEV_LOGIN = "user admin, password admin (development only)"


def ensure_dev_superuser(*args: str) -> str:
    out = StringIO()
    call_command("ensure_dev_superuser", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def development(db, settings, monkeypatch):
    """DEBUG on and the embedded database (no DATABASE_URL), as under `make run`."""
    settings.DEBUG = True
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)


def test_ensure_dev_superuser_refuses_when_debug_is_off(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(CommandError, match="DEBUG"):
        ensure_dev_superuser()

    assert not get_user_model().objects.exists()


def test_ensure_dev_superuser_creates_a_superuser_admin_with_password_admin(development):
    output = ensure_dev_superuser()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password("admin")
    assert "Created the development superuser admin." in output
    assert f"Admin: http://127.0.0.1:8000/admin/ — {DEV_LOGIN}" in output


def test_ensure_dev_superuser_changes_nothing_when_a_superuser_exists(development):
    get_user_model().objects.create_superuser(username="alice", password="alices-secret")  # noqa: S106 - test credentials

    output = ensure_dev_superuser()

    assert "A superuser already exists (alice): nothing changed." in output
    assert DEV_LOGIN not in output
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["alice"]
    assert get_user_model().objects.get().check_password("alices-secret")


def test_ensure_dev_superuser_never_resets_the_password_of_an_existing_admin(development):
    get_user_model().objects.create_superuser(username="admin", password="changed-on-purpose")  # noqa: S106 - test credentials

    output = ensure_dev_superuser()

    assert "A superuser already exists (admin): nothing changed." in output
    assert DEV_LOGIN not in output
    assert get_user_model().objects.get().check_password("changed-on-purpose")


def test_ensure_dev_superuser_run_again_says_the_development_login_still_works(development):
    ensure_dev_superuser()

    output = ensure_dev_superuser()

    assert "A superuser already exists (admin): nothing changed." in output
    assert DEV_LOGIN in output
    assert get_user_model().objects.count() == 1


def test_ensure_dev_superuser_leaves_an_admin_who_is_not_a_superuser_alone(development):
    get_user_model().objects.create_user(username="admin", password="forgotten", is_active=False)  # noqa: S106 - test credentials

    output = ensure_dev_superuser()

    assert "A user admin exists but is not a superuser: nothing changed." in output
    admin = get_user_model().objects.get()
    assert admin.check_password("forgotten")
    assert not (admin.is_superuser or admin.is_staff or admin.is_active)


def test_ensure_dev_superuser_creates_nothing_on_a_database_url(development, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.example/portal")

    output = ensure_dev_superuser()

    assert "DATABASE_URL is set: not creating a development account" in output
    assert "--allow-database-url" in output
    assert not get_user_model().objects.exists()


def test_ensure_dev_superuser_creates_admin_on_a_database_url_when_allowed(
    development, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.example/portal")

    output = ensure_dev_superuser("--allow-database-url")

    assert get_user_model().objects.get(username="admin").check_password("admin")
    assert DEV_LOGIN in output


def test_ensure_dev_superuser_changes_nothing_on_a_database_url_with_a_superuser_even_when_allowed(
    development, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.example/portal")
    get_user_model().objects.create_superuser(username="admin", password="production-secret")  # noqa: S106 - test credentials

    output = ensure_dev_superuser("--allow-database-url")

    assert "nothing changed" in output
    assert get_user_model().objects.get().check_password("production-secret")


def test_ensure_dev_superuser_prints_the_admin_url_on_the_port_from_the_environment(
    development, monkeypatch
):
    monkeypatch.setenv("PORT", "8123")

    output = ensure_dev_superuser()

    assert f"Admin: http://127.0.0.1:8123/admin/ — {DEV_LOGIN}" in output
