"""A client-side deadline on every wait for PostgreSQL: a frozen server costs seconds, not workers.

The server-side bounds (``statement_timeout``, ``lock_timeout``) need a server that runs; TCP
keepalives and ``tcp_user_timeout`` need a peer that stops acknowledging. A PostgreSQL stopped by
SIGSTOP (or a host swapping to death) does neither: its kernel still acknowledges every packet,
so a query on a warm connection waited until gunicorn's 30 s timeout killed the worker — all four
of them, and ``/readyz`` answered after 37.9 s.

psycopg2's wait callback (``psycopg2.extensions.set_wait_callback``) makes libpq's waits —
connecting, every query, every fetch — go through :func:`wait_with_deadline`, which waits on the
socket for at most ``PORTAL_DB_CLIENT_TIMEOUT_MS`` (production: the statement timeout + 1 s) and
then raises ``OperationalError``: psycopg2 marks the connection broken, Django drops it at the end
of the request, the request answers 503 with ``Retry-After`` (portal/middleware.py), and the next
request connects anew. :func:`database_deadline` shortens it for one block (``/readyz``: 1.5 s).

Installed by ``PortalConfig.ready()`` when the setting is positive; 0 (development, tests,
``manage.py`` commands such as migrate and backups) leaves libpq's own blocking waits alone.
"""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
from psycopg2 import extensions

_local = threading.local()
_default_seconds = 0.0


def current_deadline_seconds() -> float:
    return getattr(_local, "seconds", None) or _default_seconds


def wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: poll the connection, waiting on its socket until the deadline."""
    seconds = current_deadline_seconds()
    deadline = time.monotonic() + seconds if seconds else None
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise psycopg2.OperationalError(
                f"no answer from the database within {seconds:.1f} s (client-side deadline)"
            )
        if state == extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:  # pragma: no cover - psycopg2 knows no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state!r}")


def install(timeout_ms: int) -> None:
    """Every wait of this process for PostgreSQL gives up after ``timeout_ms`` (0: uninstall)."""
    global _default_seconds
    _default_seconds = timeout_ms / 1000
    extensions.set_wait_callback(wait_with_deadline if timeout_ms else None)


def installed() -> bool:
    return extensions.get_wait_callback() is wait_with_deadline


@contextmanager
def database_deadline(seconds: float) -> Iterator[None]:
    """Within the block, this thread's waits give up after ``seconds`` (when installed)."""
    previous = getattr(_local, "seconds", None)
    _local.seconds = seconds
    try:
        yield
    finally:
        _local.seconds = previous
