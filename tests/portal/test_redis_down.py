"""Redis killed under a running portal (gunicorn, 2 workers): every page still answers 200.

The cache is an optimisation (portal/cache.py): with the real ``redis-server`` killed (SIGKILL),
public pages, the API and the admin login are rendered from the database, a signed-in editor
stays signed in (``cached_db`` sessions are written through to the database), ``/readyz`` says
``degraded`` and counts the failures; when Redis is back the cache is used again.

Needs ``redis-server`` (Debian package); skipped without it on a workstation, a failure in CI.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from organizations.models import Region
from tests.portal.test_shared_state import (
    PASSWORD,
    free_port,
    request,
    server_env,
    sign_in,
    start_gunicorn,
    start_redis,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_port() -> int:
    return free_port()


@pytest.fixture
def portal(redis_port) -> Iterator[tuple[int, subprocess.Popen, list[subprocess.Popen]]]:
    """gunicorn (2 workers) on the test database and a real Redis; yields its port, the
    gunicorn master and a list holding the Redis process (the test kills and replaces it)."""
    redis_processes = [start_redis(redis_port)]
    env = server_env(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", PORTAL_PAGE_CACHE="1")
    port = free_port()
    try:
        gunicorn = start_gunicorn(port, env, "--workers=2", "--threads=4")
        try:
            yield port, gunicorn, redis_processes
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
    finally:
        for process in redis_processes:
            process.kill()
            process.wait(timeout=10)


PUBLIC = ["/en/", "/en/regions/testland/", "/api/v1/regions/", "/admin/login/"]


def test_killing_redis_leaves_every_page_answering_from_the_database(
    portal, redis_port, django_user_model
):
    port, gunicorn, redis_processes = portal
    django_user_model.objects.create_superuser("alice", "alice@example.com", PASSWORD)
    Region.objects.create(name="Testland", slug="testland", kind=Region.Kind.COUNTRY)
    session = sign_in(port)
    response, _, _ = request(port, "GET", "/en/regions/testland/")
    assert response.status == 200
    response, content, _ = request(port, "GET", "/readyz")
    assert json.loads(content)["status"] == "ok"

    redis_processes[0].kill()  # SIGKILL: no goodbye to the clients
    redis_processes[0].wait(timeout=10)

    # Under load: 40 requests at once over the public pages, the API and the login page.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda path: request(port, "GET", path)[0].status, PUBLIC * 10))
    elapsed = time.monotonic() - started
    assert statuses == [200] * len(statuses)
    print(f"\nredis down: {len(statuses)} requests, all 200, in {elapsed:.2f} s")

    response, content, _ = request(port, "GET", "/en/regions/testland/")
    assert response.status == 200
    assert "Testland" in content
    response, content, _ = request(port, "GET", "/admin/", cookies=session)  # still signed in
    assert response.status == 200
    assert "alice" in content
    assert sign_in(port)  # a new login works too (its session is in the database)

    started = time.monotonic()
    response, content, _ = request(port, "GET", "/readyz")
    readyz_seconds = time.monotonic() - started
    assert response.status == 200  # degraded, not out of the pool
    body = json.loads(content)
    assert body["status"] == "degraded"
    assert body["checks"]["cache"].startswith("failed")
    assert body["cache_errors"] > 0
    assert readyz_seconds < 2
    assert gunicorn.poll() is None  # no worker was lost with the master

    # Redis back (empty): each worker uses the cache again after its retry pause.
    redis_processes.append(start_redis(redis_port))
    restarted = time.monotonic()
    deadline = time.monotonic() + 15
    cache = None
    while time.monotonic() < deadline and cache != "hit":
        response, _, _ = request(port, "GET", "/en/regions/testland/")
        cache = response.getheader("X-Cache")
        time.sleep(0.2)
    assert cache == "hit"
    # Each worker tries again after its own pause: every worker's /readyz is "ok" soon after.
    deadline = time.monotonic() + 15
    checks: list[str] = []
    while time.monotonic() < deadline and checks[-4:] != ["ok"] * 4:
        response, content, _ = request(port, "GET", "/readyz")
        checks.append(json.loads(content)["checks"]["cache"])
        time.sleep(0.2)
    assert checks[-4:] == ["ok"] * 4, checks
    print(
        f"redis down: /readyz 'degraded' in {readyz_seconds:.2f} s; Redis back: every worker's "
        f"/readyz ok after {time.monotonic() - restarted:.2f} s; gunicorn master and workers alive"
    )
