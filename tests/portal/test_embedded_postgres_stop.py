"""`make run` stops its embedded PostgreSQL every time: Ctrl-C or SIGTERM to its process group,
sent twice (the second while the first shutdown is under way), in two runs in a row.

The server runs from a data directory of its own (PORTAL_VAR_DIR in a temporary directory), so
the suite's own embedded server is not concerned.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the embedded server runs without DATABASE_URL"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postmaster(var_dir: Path) -> psutil.Process | None:
    """The running postmaster of ``var_dir``'s data directory, if any."""
    pid_file = var_dir / "pgdata" / "postmaster.pid"
    if not pid_file.exists():
        return None
    try:
        process = psutil.Process(int(pid_file.read_text().split()[0]))
    except (psutil.NoSuchProcess, ValueError, IndexError):  # gone; initdb's standalone backend
        return None
    return process if process.is_running() and "postgres" in process.name() else None


def serve(var_dir: Path, attempts: int = 2) -> tuple[subprocess.Popen, int]:
    """``manage.py runserver`` as ``make run`` starts it (with the autoreloader), in a process
    group of its own; returns once it answers. A second attempt when the first start fails (the
    wheel gives ``pg_ctl start`` 10 s, which a loaded machine can exceed on the first start)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "XDG_RUNTIME_DIR", "DJANGO_SETTINGS_MODULE")
    }
    env.update(PORTAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="portal.settings.dev")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=(var_dir.parent / "runserver.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives `make run`
        # Ctrl-C as in a terminal, even when this test runs where SIGINT is ignored (a
        # background job): Python then turns it into KeyboardInterrupt again.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, port
        except OSError:
            if process.poll() is not None:
                assert attempts > 1, "runserver exited before it served"
                return serve(var_dir, attempts - 1)
            time.sleep(0.2)
    raise AssertionError("runserver did not answer within 60 s")


def stop_twice(process: subprocess.Popen, signum: int) -> None:
    os.killpg(process.pid, signum)
    time.sleep(0.3)  # the shutdown (pg_ctl stop) is under way
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signum)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """One data directory for the module's runs: the second test is the second `make run`."""
    var = tmp_path_factory.mktemp("make-run") / "var"
    yield var
    leftover = postmaster(var)
    if leftover is not None:  # a failed test must not leave its server behind
        leftover.terminate()
        leftover.wait(10)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_make_run_twice_leaves_no_server_running(var_dir, signum):
    process, _port = serve(var_dir)
    assert postmaster(var_dir) is not None

    stop_twice(process, signum)

    assert postmaster(var_dir) is None
