"""Health checks for load balancers and orchestrators: ``/healthz`` and ``/readyz``.

- ``/healthz`` (liveness): the process answers. It touches nothing else — no database, no cache —
  so a database outage never makes an orchestrator restart healthy app servers.
- ``/readyz`` (readiness): the process can serve pages: the database answers ``SELECT 1`` (else
  503) and the default cache stores and returns a value (else 200 "degraded": pages are rendered
  from the database). A JSON body names each check.

Both are answered by :class:`HealthCheckMiddleware`, first in ``MIDDLEWARE``, before the host
check, the HTTPS redirect, sessions and the language redirect: a probe addresses the server by its
IP over plain HTTP, and must get the same answer there as through the proxy. Neither is in the
sitemap; neither may be cached (``Cache-Control: no-store``). They are not logged per request.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

from core.caching import KeyFamily, cache_key
from portal.cache import cache_errors
from portal.db_deadline import database_deadline

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: ``ok``, without touching the database or the cache."""
    return _no_store(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


# A frozen database is "not ready" within this (portal/db_deadline.py, when installed): probes
# time out after a few seconds, and must not wait for the requests' longer deadline.
READINESS_DATABASE_SECONDS = 1.5


def _check_database() -> None:
    with database_deadline(READINESS_DATABASE_SECONDS), connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def _check_cache() -> None:
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is not None:  # Redis (portal/cache.py): its own error, not the backend's fallback
        ping()
    key = cache_key(KeyFamily.READINESS, uuid.uuid4().hex)
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}
# Checks whose failure leaves the portal serving, slower: "degraded", 200 (the load balancer keeps
# the server). The shared cache is one (portal/cache.py: pages come from the database).
OPTIONAL_CHECKS = frozenset({"cache"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: every check in ``CHECKS``; 503 naming the failing ones (never their details:
    an error message may hold a host name or a user; the log has it); 200 ``degraded`` when only
    optional ones fail. ``cache_errors``: cache calls this process answered without Redis."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is "not ready", not a 500
            logger.warning("Readiness check %s failed: %r", name, exc)
            results[name] = f"failed: {type(exc).__name__}"
        else:
            results[name] = "ok"
    failed = {name for name, result in results.items() if result != "ok"}
    ready = not (failed - OPTIONAL_CHECKS)
    status = "unavailable" if not ready else "degraded" if failed else "ok"
    return _no_store(
        JsonResponse(
            {"status": status, "checks": results, "cache_errors": cache_errors()},
            status=200 if ready else 503,
        )
    )


HEALTH_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    LIVENESS_PATH: healthz,
    READINESS_PATH: readyz,
}


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before any other middleware (see the module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = HEALTH_VIEWS.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _no_store(HttpResponseNotAllowed(["GET", "HEAD"]))
        response = view(request)
        if request.method == "HEAD":
            response.content = b""
        return response
