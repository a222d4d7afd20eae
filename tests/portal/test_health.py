"""/healthz (liveness, no database) and /readyz (database and cache), for probes."""

import json

import pytest
from django.core.cache import caches
from django.test import Client

from portal import health
from portal.sitemaps import SITEMAPS


def test_liveness_answers_without_touching_the_database(client):
    # No db fixture: a query would fail the test ("Database access not allowed").
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readiness_checks_the_database_with_one_query_and_the_cache(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
        "cache_errors": 0,
    }


@pytest.mark.django_db
def test_readiness_names_the_failing_database_with_503(client, monkeypatch):
    def broken_database() -> None:
        raise ConnectionError("postgres://secret-host:5432 refused")

    monkeypatch.setitem(health.CHECKS, "database", broken_database)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "failed: ConnectionError", "cache": "ok"},
        "cache_errors": 0,
    }
    assert b"secret-host" not in response.content  # the details are logged, not shown


@pytest.mark.django_db
def test_readiness_without_the_cache_is_degraded_not_unavailable(client, monkeypatch):
    # Pages are rendered from the database (portal/cache.py): the server stays in the pool.
    def broken_cache() -> None:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)

    response = client.get("/readyz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "cache": "failed: ConnectionError"}
    assert b"secret-host" not in response.content


def test_probes_are_answered_for_any_host_and_over_plain_http(settings):
    # An orchestrator probes the server's address over HTTP: no 400 for the host, no redirect.
    settings.ALLOWED_HOSTS = ["portal.example"]
    settings.SECURE_SSL_REDIRECT = True

    response = Client(HTTP_HOST="10.0.0.7:8000").get("/healthz")

    assert response.status_code == 200


def test_probes_answer_head_and_refuse_other_methods(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_the_cache_check_leaves_nothing_behind(db):
    health._check_cache()
    cache = caches["default"]
    if hasattr(cache, "_cache"):  # local memory
        assert not [key for key in cache._cache if "readyz" in str(key)]


def test_probes_are_not_in_the_sitemap(client, db):
    body = (
        b"".join(client.get(f"/sitemap-{section}.xml").content for section in SITEMAPS)
        + client.get("/sitemap.xml").content
    )

    assert b"healthz" not in body
    assert b"readyz" not in body
