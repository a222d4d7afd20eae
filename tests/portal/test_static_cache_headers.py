"""Static files in production: hashed names (ManifestStaticFilesStorage through WhiteNoise) served
with far-future, immutable cache headers; unhashed names only briefly cacheable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.template import loader
from django.test import RequestFactory, override_settings
from django.utils.module_loading import import_string
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 60 * 60


def production_setting(name: str):
    code = (
        "import json, sys; from portal.settings import production as s; "
        "print(json.dumps(getattr(s, sys.argv[1])))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env |= {"DJANGO_SECRET_KEY": "s" * 50, "DATABASE_URL": "postgres://alice@db.example/portal"}
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code, name],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """collectstatic with production's storage into a temporary folder, and WhiteNoise on it."""
    storages = production_setting("STORAGES")
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STORAGES=storages,
        STATIC_ROOT=root,
        DEBUG=False,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        yield middleware, staticfiles_storage.url("css/portal.css")


def test_with_collectstatic_pages_link_the_hashed_names(production_static):
    html = loader.get_template("500.html").render()

    assert "/static/css/portal." in html
    assert 'href="/static/css/portal.css"' not in html  # a hashed name, far-future cacheable


def test_production_stores_static_files_under_hashed_names():
    backend = import_string(production_setting("STORAGES")["staticfiles"]["BACKEND"])

    assert issubclass(backend, CompressedManifestStaticFilesStorage)


def test_hashed_static_files_are_cached_for_ever(production_static):
    middleware, url = production_static
    assert url != "/static/css/portal.css"  # the hash is in the name

    response = middleware(RequestFactory().get(url))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= ONE_YEAR


def test_hashed_static_files_are_served_compressed(production_static):
    middleware, url = production_static

    response = middleware(RequestFactory().get(url, headers={"accept-encoding": "br, gzip"}))

    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]


def test_unhashed_names_are_not_cached_for_ever(production_static):
    middleware, _ = production_static

    response = middleware(RequestFactory().get("/static/css/portal.css"))

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
