import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_list, env_str
from portal.settings.base import database_config


def test_database_url_is_used_when_set(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://alice:secret@db.example:5433/portal")
    config = database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "portal")


def test_a_database_url_that_is_not_postgresql_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://alice@db.example/portal")
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        database_config()


def test_env_bool_fails_loudly_on_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_FLAG"):
        env_bool("PORTAL_TEST_FLAG", False)


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_FLAG", "Yes")
    assert env_bool("PORTAL_TEST_FLAG", False) is True


def test_env_str_without_a_default_requires_the_variable(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_SECRET"):
        env_str("PORTAL_TEST_SECRET")


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_HOSTS", "a.example, b.example,,")
    assert env_list("PORTAL_TEST_HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://alice@db.example/portal")
    sys.modules.pop("portal.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        importlib.import_module("portal.settings.production")
