"""A frozen PostgreSQL (SIGSTOP: its kernel still acknowledges, nothing answers) under gunicorn:
every request answers 503 with Retry-After within seconds, ``/readyz`` within 2 s, no worker is
killed, and pages come back as soon as the server runs again.

The server frozen is the throw-away embedded PostgreSQL of test_database_unavailable.py (its own
data directory and socket), never the shared test database. gunicorn runs with a 2 s client-side
deadline (portal/db_deadline.py; production's is the statement timeout + 1 s).
"""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from portal.middleware import RETRY_AFTER_SECONDS
from tests.portal.test_database_unavailable import throwaway_server  # noqa: F401 - a fixture
from tests.portal.test_shared_state import (
    free_port,
    request,
    server_env,
    start_gunicorn,
)

CLIENT_TIMEOUT_MS = 2000


def children_of(parent: int) -> set[int]:
    """The processes whose parent is ``parent`` (from /proc: Linux, as CI)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


def server_processes(data_dir: Path) -> list[int]:
    """The postmaster of ``data_dir`` and all its children (the backends of each connection)."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    return [postmaster, *children_of(postmaster)]


def timed_get(port: int, path: str) -> tuple[int, str | None, float]:
    started = time.monotonic()
    response, _, _ = request(port, "GET", path)
    return response.status, response.getheader("Retry-After"), time.monotonic() - started


def test_a_frozen_database_answers_503_within_seconds_and_no_worker_dies(throwaway_server):  # noqa: F811
    env = server_env(
        PORTAL_DB_CLIENT_TIMEOUT_MS=str(CLIENT_TIMEOUT_MS),
        PORTAL_STATEMENT_TIMEOUT_MS="1000",
        PORTAL_LOCK_TIMEOUT_MS="500",
    )  # DATABASE_URL: the throw-away server this test runs on
    port = free_port()
    gunicorn = start_gunicorn(port, env, "--workers=2")
    frozen: list[int] = []
    try:
        for _ in range(6):  # both workers hold a warm connection
            assert timed_get(port, "/en/")[0] == 200
        workers = children_of(gunicorn.pid)
        assert len(workers) == 2

        frozen = server_processes(throwaway_server)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda path: timed_get(port, path), ["/en/", "/de/"] * 4))
        statuses = {status for status, _, _ in answers}
        slowest = max(seconds for _, _, seconds in answers)
        assert statuses == {503}, answers
        assert {retry for _, retry, _ in answers} == {str(RETRY_AFTER_SECONDS)}
        # 8 requests on 2 workers: each waits its turn, each turn at most the 2 s deadline.
        assert slowest < 4 * CLIENT_TIMEOUT_MS / 1000 + 2, answers

        started = time.monotonic()
        response, content, _ = request(port, "GET", "/readyz")
        readyz_seconds = time.monotonic() - started
        assert response.status == 503
        assert json.loads(content)["checks"]["database"].startswith("failed")
        assert readyz_seconds < 2

        assert children_of(gunicorn.pid) == workers  # the same workers: none was killed
        assert gunicorn.poll() is None

        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        thawed = time.monotonic()
        frozen = []
        status = None
        while time.monotonic() - thawed < 10 and status != 200:
            status = timed_get(port, "/en/")[0]
        recovered = time.monotonic() - thawed
        assert status == 200
        print(
            f"\nfrozen database: 8 requests answered 503 in {slowest:.2f} s at most, "
            f"/readyz in {readyz_seconds:.2f} s, recovered in {recovered:.2f} s, "
            f"{len(workers)} workers alive"
        )
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
