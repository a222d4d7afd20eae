"""Production static files without ``collectstatic``: pages and the 500 page still render."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.views import server_error

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.static_storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def no_collectstatic(settings, tmp_path):
    """Production's static storage over an empty STATIC_ROOT: no manifest, no files."""
    settings.STORAGES = PRODUCTION_STATIC
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.DEBUG = False


@pytest.mark.django_db
def test_pages_render_without_the_manifest_and_the_log_says_what_to_run(
    client, no_collectstatic, caplog
):
    caplog.set_level(logging.ERROR, logger="portal.static_storage")

    response = client.get("/en/")

    assert response.status_code == 200
    assert b'href="/static/css/portal.css"' in response.content  # unhashed, but a page
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.static_storage"]
    assert any("collectstatic" in message and "css/portal.css" in message for message in messages)


def test_the_500_page_renders_without_the_manifest(rf, no_collectstatic):
    response = server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert b"/static/css/portal.css" in response.content


def test_the_500_page_renders_even_when_the_static_storage_fails(settings, rf):
    settings.STORAGES = {
        **PRODUCTION_STATIC,
        "staticfiles": {"BACKEND": "tests.portal.test_static_files.BrokenStorage"},
    }

    response = server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert b'href="/static/css/portal.css"' in response.content


class BrokenStorage:
    def url(self, name):
        raise ValueError("Missing staticfiles manifest entry")


ROOT = Path(__file__).resolve().parent.parent.parent
RENDER_500 = """
from django.conf import settings
import django
django.setup()
from django.template import loader
print(settings.STORAGES["staticfiles"]["BACKEND"])
print(loader.get_template("500.html").render())
"""


def test_production_settings_render_the_500_page_without_collectstatic(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "s" * 50,
        "DATABASE_URL": "postgres://alice@db.example/portal",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-c", RENDER_500],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("portal.static_storage.ManifestStaticFilesStorage")
    assert "Something went wrong on our side" in done.stdout
