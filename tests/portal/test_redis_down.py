"""Redis killed under a running portal (gunicorn, 2 workers): every page still answers 200.

The cache is an optimisation (portal/cache.py): with the real ``redis-server`` killed (SIGKILL),
public pages, the API and the admin login are rendered from the database, a signed-in editor
stays signed in (``cached_db`` sessions are written through to the database), ``/readyz`` says
``degraded`` and counts the failures; when Redis is back the cache is used again.

Needs ``redis-server`` (Debian package); skipped without it on a workstation, a failure in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from organizations.models import Region
from tests.portal.test_shared_state import (
    PASSWORD,
    database_url_of_this_test,
    free_port,
    request,
    wait_for_port,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start_redis(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: CI must install it (.ci/run)")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    process = subprocess.Popen(  # noqa: S603 - the redis-server found on PATH, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return process


@pytest.fixture
def redis_port() -> int:
    return free_port()


@pytest.fixture
def portal(redis_port) -> Iterator[tuple[int, subprocess.Popen, list[subprocess.Popen]]]:
    """gunicorn (2 workers) on the test database and a real Redis; yields its port, the
    gunicorn master and a list holding the Redis process (the test kills and replaces it)."""
    redis_processes = [start_redis(redis_port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "PORTAL_PAGE_CACHE": "1",
    }
    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603 - gunicorn of this environment, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers=2",
            "--threads=4",
            f"--bind=127.0.0.1:{port}",
            "--timeout=30",
            "portal.wsgi",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, gunicorn)
        yield port, gunicorn, redis_processes
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        for process in redis_processes:
            process.kill()
            process.wait(timeout=10)


def sign_in(port: int) -> dict[str, str]:
    _, login_page, cookies = request(port, "GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    response, _, set_cookies = request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        cookies=cookies,
        body={"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status == 302, "the login failed"
    return {"sessionid": set_cookies["sessionid"]}


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
