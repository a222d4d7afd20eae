"""One log line per request: method, path, status, duration, SQL queries, user, request id.

Logged by ``portal.request`` at INFO. With ``PORTAL_LOG_FORMAT=json`` (production's default)
each line is one JSON object whose fields are the ``extra`` below, for a log collector to index;
with ``text``, a short readable line. Probes (/healthz, /readyz) are answered before this
middleware and are not logged.

The request id is the proxy's ``X-Request-ID`` when it sends a sane one, else a new one; it goes
back in the response's ``X-Request-ID`` so that a visitor's report can be found in the log.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("portal.request")

# A manager's private deadlines calendar is addressed by a secret token (portal/urls.py): the
# logs keep a hash of it (enough to tell requests apart), never the token.
SECRET_PATHS = re.compile(r"(/calendar/deadlines/)([^/]+)(\.ics)$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def loggable_path(path: str) -> str:
    """``path`` for a log line: a secret token hashed, control characters (a newline, a NUL)
    escaped as ``\\xNN`` so that one request stays one line."""
    path = SECRET_PATHS.sub(
        lambda match: (
            match[1] + "sha256-" + hashlib.sha256(match[2].encode()).hexdigest()[:12] + match[3]
        ),
        path,
    )
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match[0]):02x}", path)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class QueryCounter:
    """Counts the SQL statements run through a connection (``execute_wrapper``; no DEBUG)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def request_id_of(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def user_of(request: HttpRequest) -> str | int:
    """The user's id, or "anonymous" — without loading the user only to log it."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "anonymous"
    return user.pk if user.is_authenticated else "anonymous"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        counter = QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request_id
        fields = {
            "method": request.method,
            "path": loggable_path(request.path),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "queries": counter.count,
            "user": user_of(request),
            "request_id": request_id,
        }
        logger.info(
            "%s %s %s %sms %sq user=%s id=%s",
            *fields.values(),
            extra=fields,
        )
        return response
