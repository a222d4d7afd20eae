"""Times in each staff member's own time zone (``UserPreference.time_zone``).

At login the preference is put in the session (:func:`remember_time_zone`, connected to
``user_logged_in``; "My e-mails" refreshes it), and :class:`TimeZoneMiddleware` activates it for
each request that carries a session cookie — no query of its own, and an anonymous visitor's
request (no cookie) never touches the session, so the page cache still serves it. Templates
then show every aware datetime (approvals, comments, history) in that zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SESSION_KEY = "portal_time_zone"


def remember_time_zone(
    sender: Any = None, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    """Put ``user``'s time zone preference into the session (or take it out)."""
    if request is None or not hasattr(request, "session") or user is None:
        return
    from core.models import UserPreference

    zone = (
        UserPreference.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
    )
    if zone:
        request.session[SESSION_KEY] = zone
    else:
        request.session.pop(SESSION_KEY, None)


class TimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            zone = request.session.get(SESSION_KEY)
        if zone:
            try:
                timezone.activate(ZoneInfo(zone))
            except (ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
