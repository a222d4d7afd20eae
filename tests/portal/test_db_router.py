"""Read replicas (portal/db_router.py): anonymous public pages read from a replica; the admin,
signed-in visitors, writes, reads after a write and everything outside a request use the primary.

``replica_1`` is Django's test mirror of the default database (test settings): the same database
through another connection, so the queries each alias runs can be counted apart. Committed data
(``transaction=True``) is what a second connection sees.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from organizations.models import Region
from portal.db_router import ReplicaMiddleware

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])


@pytest.fixture(autouse=True)
def replica(settings):
    settings.PORTAL_READ_REPLICAS = ["replica_1"]


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica_1"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.primary.__exit__(*exc)
        self.replica.__exit__(*exc)


def test_anonymous_public_pages_read_from_the_replica(client, region_factory):
    region_factory(name="Testland", slug="testland")

    with Queries() as queries:
        response = client.get("/en/regions/testland/")

    assert response.status_code == 200
    assert "Testland" in response.content.decode()
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0


def test_the_content_generation_is_read_from_the_same_replica(client, settings, region_factory):
    settings.PORTAL_PAGE_CACHE = True
    region_factory(name="Testland", slug="testland")
    client.get("/en/regions/testland/")

    with Queries() as queries:
        response = client.get("/en/regions/testland/")

    assert response["X-Cache"] == "hit"
    assert len(queries.replica) == 1 and len(queries.primary) == 0


def test_signed_in_visitors_read_from_the_primary(admin_client, region_factory):
    region_factory(name="Testland", slug="testland")

    with Queries() as queries:
        response = admin_client.get("/en/regions/testland/")

    assert response.status_code == 200
    assert len(queries.replica) == 0
    assert len(queries.primary) > 0


def test_the_admin_reads_from_the_primary(admin_client):
    with Queries() as queries:
        admin_client.get("/admin/organizations/region/")

    assert len(queries.replica) == 0


def test_reads_after_a_write_in_the_same_request_go_to_the_primary():
    seen: dict[str, int] = {}

    def view(request):
        seen["before"] = Region.objects.filter(slug="written").count()
        Region.objects.create(name="Written", slug="written", kind=Region.Kind.COUNTRY)
        seen["after"] = Region.objects.filter(slug="written").count()
        return HttpResponse()

    with Queries() as queries:
        ReplicaMiddleware(view)(RequestFactory().get("/en/regions/"))

    assert seen == {"before": 0, "after": 1}
    assert [q["sql"].startswith("SELECT") for q in queries.replica] == [True]
    assert any(q["sql"].startswith("INSERT") for q in queries.primary)
    assert sum(q["sql"].startswith("SELECT COUNT") for q in queries.primary) == 1


def test_the_next_request_reads_from_the_replica_again():
    def writing_view(request):
        Region.objects.create(name="Written", slug="written", kind=Region.Kind.COUNTRY)
        return HttpResponse()

    def reading_view(request):
        Region.objects.count()
        return HttpResponse()

    ReplicaMiddleware(writing_view)(RequestFactory().get("/en/regions/"))
    with Queries() as queries:
        ReplicaMiddleware(reading_view)(RequestFactory().get("/en/regions/"))

    assert len(queries.replica) == 1 and len(queries.primary) == 0


def test_outside_requests_everything_uses_the_primary():
    with Queries() as queries:
        Region.objects.count()

    assert len(queries.replica) == 0 and len(queries.primary) == 1


def test_without_replicas_public_pages_use_the_primary(client, settings):
    settings.PORTAL_READ_REPLICAS = []

    with Queries() as queries:
        client.get("/en/regions/")

    assert len(queries.replica) == 0 and len(queries.primary) > 0


def test_replica_urls_become_aliases_that_mirror_the_primary_in_tests(monkeypatch):
    from portal.settings.base import replica_configs

    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://r@replica-a/portal, postgres://r@replica-b/portal"
    )

    configs = replica_configs()

    assert list(configs) == ["replica_1", "replica_2"]
    assert configs["replica_2"]["HOST"] == "replica-b"
    assert configs["replica_1"]["TEST"] == {"MIRROR": "default"}
