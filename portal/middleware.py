"""The portal's own middleware: response headers Django does not set (Permissions-Policy), and the
503 page when the database is unavailable."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pghistory.middleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in features.items())


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` on every response.

    The portal uses no camera, microphone, location, payment or other powerful browser feature:
    switching them all off means an injected script or a framed page cannot ask for them either.
    A view that sets the header itself keeps its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """pghistory's middleware (the user and URL of every history event), except for anonymous
    public GETs: they write nothing, and asking who the user is would open the session, which
    makes a page vary on the cookie and uncacheable (portal/caching.py)."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from portal.caching import is_anonymous_public_request

        if request.method in ("GET", "HEAD") and is_anonymous_public_request(request):
            return self.get_response(request)
        return super().__call__(request)


# Errors that mean "the database cannot be reached or did not answer in time", not a bug: the
# server is down or restarting (OperationalError: connection refused, connect timeout, the
# statement timeout's QueryCanceled, which psycopg raises as an OperationalError), or a
# connection broke under a request (InterfaceError: connection already closed).
DATABASE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5

logger = logging.getLogger(__name__)


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_UNAVAILABLE_ERRORS)


def database_unavailable_response(request: HttpRequest | None) -> HttpResponse:
    """The 503 page in the portal's design, with ``Retry-After``; rendered without a query.

    Should even that fail (a template error), a plain-text 503 still goes out.
    """
    try:
        content = loader.render_to_string(
            "503.html", {"retry_after": RETRY_AFTER_SECONDS}, request=request
        )
        response = HttpResponse(content, status=503)
    except Exception:  # the page of last resort must not raise
        logger.exception("The 503 page could not be rendered")
        response = HttpResponse(
            "Service temporarily unavailable. Please try again in a few seconds.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable or too slow answers 503, not 500.

    The error is logged (one line, without the traceback: the cause is outside the code). The
    broken connection is closed by Django at the end of the request, and the next request
    connects again: nothing needs a restart when the database is back. Errors raised outside a
    view (in another middleware) reach ``portal.views.server_error``, which answers the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.error(
            "Database unavailable: %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        return database_unavailable_response(request)
