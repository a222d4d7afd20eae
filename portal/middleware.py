"""The portal's own response headers (Django's middleware sets the others: CSP, Referrer-Policy)."""

from __future__ import annotations

from collections.abc import Callable

import pghistory.middleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
