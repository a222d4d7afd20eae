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
