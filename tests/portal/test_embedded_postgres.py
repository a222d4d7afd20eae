"""The embedded server module: the test run itself uses it when DATABASE_URL is unset."""

import os

import pytest
from django.conf import settings
from django.db import connection

from portal import embedded_postgres


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="this run uses the DATABASE_URL server"
)
def test_without_database_url_the_suite_runs_on_the_embedded_server(db):
    assert settings.DATABASES["default"]["HOST"].startswith(str(settings.VAR_DIR))
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        assert cursor.fetchone()[0] == str((settings.VAR_DIR / "pgdata").resolve())


def test_the_embedded_server_creates_its_database_once(tmp_path):
    # A second call joins the running server instead of starting another one.
    first = embedded_postgres.database_settings(tmp_path / "pgdata")
    second = embedded_postgres.database_settings(tmp_path / "pgdata")
    assert first == second
    assert first["NAME"] == embedded_postgres.DATABASE_NAME
