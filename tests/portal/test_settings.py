import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str
from portal.settings.base import database_config


def test_database_url_is_used_when_set(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://alice:secret@db.example:5433/portal")
    config = database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "portal")


def test_without_database_url_the_shared_settings_leave_the_database_to_dev_and_test(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_config() is None


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


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", " 25 ")
    assert env_int("PORTAL_TEST_NUMBER", 20, minimum=1) == 25


@pytest.mark.parametrize("value", ["twenty", "2.5", "0"])
def test_env_int_fails_loudly_on_a_bad_value(monkeypatch, value):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", value)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_NUMBER"):
        env_int("PORTAL_TEST_NUMBER", 20, minimum=1)


ROOT = Path(__file__).resolve().parent.parent.parent
# Imports a settings module in a fresh interpreter and reports how it went, as JSON.
IMPORT_SETTINGS = """
import importlib, json, sys
from django.core.exceptions import ImproperlyConfigured
try:
    importlib.import_module(sys.argv[1])
    error = None
except ImproperlyConfigured as exc:
    error = str(exc)
print(json.dumps({
    "error": error,
    "embedded_postgres_imported": [m for m in sys.modules if m.endswith("embedded_postgres")],
}))
"""


def _import_settings(module: str, var_dir: Path, **environ: str) -> dict:
    """Import ``module`` in a new process, with only ``environ`` for the portal's variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    env |= {"PORTAL_VAR_DIR": str(var_dir), **environ}
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-c", IMPORT_SETTINGS, module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_production_settings_without_their_variables_fail_naming_both_and_start_nothing(
    tmp_path,
):
    result = _import_settings("portal.settings.production", tmp_path)

    assert "DJANGO_SECRET_KEY" in result["error"]
    assert "DATABASE_URL" in result["error"]
    assert result["embedded_postgres_imported"] == []
    assert list(tmp_path.iterdir()) == []  # no var/pgdata, no var/run: no server was started


def test_production_settings_without_a_secret_key_name_it(tmp_path):
    result = _import_settings(
        "portal.settings.production", tmp_path, DATABASE_URL="postgres://alice@db.example/portal"
    )

    assert "DJANGO_SECRET_KEY" in result["error"]
    assert "DATABASE_URL" not in result["error"]


def test_production_settings_without_a_database_url_name_it(tmp_path):
    result = _import_settings("portal.settings.production", tmp_path, DJANGO_SECRET_KEY="s" * 50)

    assert "DATABASE_URL" in result["error"]
    assert "DJANGO_SECRET_KEY" not in result["error"]
    assert result["embedded_postgres_imported"] == []


def test_production_settings_with_their_variables_never_import_the_embedded_server(tmp_path):
    result = _import_settings(
        "portal.settings.production",
        tmp_path,
        DJANGO_SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://alice@db.example/portal",
    )

    assert result == {"error": None, "embedded_postgres_imported": []}
    assert list(tmp_path.iterdir()) == []


def test_the_shared_settings_never_import_the_embedded_server(tmp_path):
    result = _import_settings("portal.settings.base", tmp_path)

    assert result == {"error": None, "embedded_postgres_imported": []}
    assert list(tmp_path.iterdir()) == []


def test_development_settings_use_database_url_without_the_embedded_server(tmp_path):
    result = _import_settings(
        "portal.settings.dev", tmp_path, DATABASE_URL="postgres://alice@db.example/portal"
    )

    assert result == {"error": None, "embedded_postgres_imported": []}


# A peer gone from the network is noticed within seconds, not the kernel's two hours.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


def test_database_url_connections_time_out_and_persist_with_health_checks(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://alice@db.example/portal?sslmode=require")
    monkeypatch.delenv("PORTAL_DB_CONNECT_TIMEOUT", raising=False)
    config = database_config(statement_timeout_ms=10_000, lock_timeout_ms=3_000)
    assert config["OPTIONS"] == {
        "connect_timeout": 3,
        **KEEPALIVES,
        "options": "-c statement_timeout=10000 -c lock_timeout=3000",
        "sslmode": "require",  # options of the URL are kept
    }
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_without_a_statement_timeout_no_server_option_is_sent(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://alice@db.example/portal")
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "3")
    monkeypatch.delenv("PORTAL_STATEMENT_TIMEOUT_MS", raising=False)
    monkeypatch.delenv("PORTAL_LOCK_TIMEOUT_MS", raising=False)
    assert database_config()["OPTIONS"] == {"connect_timeout": 3, **KEEPALIVES}


PRODUCTION_DATABASE_OPTIONS = """
import json
from portal.settings import production
print(json.dumps({**production.DATABASES["default"]["OPTIONS"],
                  "client": production.PORTAL_DB_CLIENT_TIMEOUT_MS}))
"""


@pytest.mark.parametrize(
    ("environ", "expected", "client"),
    [
        ({}, "-c statement_timeout=5000 -c lock_timeout=3000", 6000),
        (
            {"PORTAL_STATEMENT_TIMEOUT_MS": "2500", "PORTAL_LOCK_TIMEOUT_MS": "1000"},
            "-c statement_timeout=2500 -c lock_timeout=1000",
            3500,
        ),
    ],
)
def test_production_web_requests_have_statement_lock_and_client_timeouts(
    tmp_path, environ, expected, client
):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    env |= {
        "PORTAL_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "s" * 50,
        "DATABASE_URL": "postgres://alice@db.example/portal",
        **environ,
    }
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-c", PRODUCTION_DATABASE_OPTIONS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    options = json.loads(done.stdout)
    assert options["options"] == expected
    assert options["client"] == client  # portal/db_deadline.py: the statement timeout + 1 s
