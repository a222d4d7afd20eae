"""The shared cache's backend: Redis, as an optimisation the portal can do without.

With Django's ``RedisCache`` a stopped Redis made every public page, the API and the admin login
answer 500: the page cache, the summaries, the API's throttle and the sessions all raise
``redis.ConnectionError``. :class:`ResilientRedisCache` answers a failing Redis as an empty
cache instead — a read is a miss, a write is dropped — so every page is rendered from the
database, and sessions (``cached_db``: written through to the database) are read from there.

- **bounded**: the socket timeouts (``socket_connect_timeout``, ``socket_timeout``: 0.5 s each,
  ``PORTAL_REDIS_TIMEOUT_MS``) bound a Redis that hangs rather than refuses;
- **not retried on every call**: after a failure the process leaves Redis alone for
  :data:`RETRY_SECONDS`, then tries again (a request never pays more than one timeout);
- **logged**: one warning when Redis is lost, one line when it is back (not one per request);
- **counted**: :func:`cache_errors` (failures and calls skipped meanwhile, since the process
  started), which ``/readyz`` reports with ``"cache": "failed: …"`` and ``"status": "degraded"``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
# What "Redis is unavailable" raises: redis-py's own errors (ConnectionError, TimeoutError, …)
# and the socket's (a reset connection surfaces as OSError in some redis-py paths).
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)

T = TypeVar("T")


class _State:
    """Per process, shared by the cache's per-thread instances (Django makes one per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.errors = 0
        self.last_error = ""


_state = _State()


def cache_errors() -> int:
    """Cache calls answered without Redis since this process started."""
    return _state.errors


def cache_is_down() -> bool:
    return time.monotonic() < _state.down_until


def _failed(exc: BaseException) -> None:
    with _state.lock:
        was_up = not cache_is_down()
        _state.errors += 1
        _state.down_until = time.monotonic() + RETRY_SECONDS
        _state.last_error = type(exc).__name__
    if was_up:
        logger.warning(
            "Cache unavailable (%s): serving from the database, retrying every %.0f s",
            type(exc).__name__,
            RETRY_SECONDS,
        )


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; a Redis failure is a miss or a dropped write (module doc)."""

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if cache_is_down():
            with _state.lock:
                _state.errors += 1
            return fallback
        try:
            result = operation()
        except CACHE_ERRORS as exc:
            _failed(exc)
            return fallback
        if _state.last_error:
            with _state.lock:
                recovered, _state.last_error = _state.last_error, ""
            if recovered:
                logger.warning("Cache available again after %s", recovered)
        return result

    def ping(self) -> None:
        """Raises what Redis raises (the readiness check), bypassing the pause after a failure."""
        self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._call(lambda: RedisCache.get(self, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._call(lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys, version=None):
        return self._call(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key, version=None):
        return self._call(lambda: RedisCache.has_key(self, key, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        self._call(lambda: RedisCache.delete_many(self, keys, version), None)
