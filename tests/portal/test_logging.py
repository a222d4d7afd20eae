"""Logging of what the open internet sends: one line per bad Host header, no traceback."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_is_refused_and_logged_once_without_traceback(caplog):
    caplog.set_level(logging.WARNING)

    response = Client(HTTP_HOST="evil.example").get("/en/")

    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].exc_info is None and records[0].exc_text is None
    assert "evil.example" in records[0].getMessage()


def test_a_bad_host_header_is_written_as_one_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["line"]["format"]))
    logger = logging.getLogger("django.security.DisallowedHost")
    logger.addHandler(handler)
    try:
        Client(HTTP_HOST="evil.example").get("/en/")
    finally:
        logger.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    expected = "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'"
    assert expected in lines[0]
    assert "Traceback" not in stream.getvalue()


def _request_lines(log_format: str, path: str, **headers) -> list[str]:
    """The lines ``portal.request`` writes for one request, formatted as the settings say."""
    from portal.settings.base import logging_config

    formatter_config = logging_config(log_format, request_log=True)["formatters"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        config = formatter_config["json"]
        handler.setFormatter(JsonFormatter(config["format"], rename_fields=config["rename_fields"]))
    else:
        handler.setFormatter(logging.Formatter(formatter_config["line"]["format"]))
    logger = logging.getLogger("portal.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = Client(**headers).get(path)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return stream.getvalue().splitlines(), response


def test_each_request_is_one_json_line_with_status_duration_and_queries():
    import json

    from tests import factories

    factories.OrganizationFactory()
    lines, response = _request_lines("json", "/en/organizations/", HTTP_X_REQUEST_ID="req-42")

    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["logger"] == "portal.request"
    assert entry["level"] == "INFO"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/en/organizations/", 200)
    assert entry["queries"] >= 1
    assert isinstance(entry["duration_ms"], float)
    assert entry["user"] == "anonymous"
    assert entry["request_id"] == "req-42"
    assert "time" in entry
    assert response["X-Request-ID"] == "req-42"


def test_the_request_id_is_made_when_the_proxy_sends_none_or_a_bad_one():
    lines, response = _request_lines(
        "text", "/robots.txt", HTTP_X_REQUEST_ID="bad id\nwith newline"
    )

    assert len(lines) == 1
    assert "GET /robots.txt 200" in lines[0]
    assert "0q user=anonymous" in lines[0]
    assert "newline" not in lines[0]
    assert len(response["X-Request-ID"]) == 32  # a new one


def test_a_signed_in_user_is_logged_by_id(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("alice", is_staff=True)
    client.force_login(user)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(user)s"))
    logger = logging.getLogger("portal.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get(f"/{settings.ADMIN_URL}")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)

    assert stream.getvalue().split() == [str(user.pk)]


def test_probes_are_not_logged():
    lines, response = _request_lines("text", "/healthz")

    assert response.status_code == 200
    assert lines == []  # answered before the request log
