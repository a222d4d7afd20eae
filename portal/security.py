"""Security events in one line each, on the ``portal.security`` logger; the client's address.

Logged: a login, a failed login (with the username tried, never the password), a lockout by
django-axes, a logout, a wrong second-factor code. Each is one line an operator can grep and a
log shipper can alert on, e.g. ``login failed username='alice' ip=203.0.113.7``.
"""

from __future__ import annotations

import logging
from time import sleep
from typing import Any

from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

logger = logging.getLogger("portal.security")


def client_ip_address(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies, from X-Forwarded-For.

    ``PORTAL_TRUSTED_PROXY_COUNT`` proxies each append the address they received the request
    from, so the client's is that many entries from the right; anything further left was sent
    by the client and proves nothing. Django-axes counts failures per this address.
    """
    if request is None:
        return None
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


# The pause before checking a password, by the account's recent failures: none for the first
# two (a typo), then doubling from half a second, at most PORTAL_LOGIN_SLOWDOWN_MAX_SECONDS.
SLOWDOWN_FREE_FAILURES = 2


def account_failures(username: str) -> int:
    """Failed logins for ``username`` (from any address) within axes' cool-off time."""
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def slowdown_seconds(failures: int) -> float:
    if failures <= SLOWDOWN_FREE_FAILURES:
        return 0.0
    pause = 0.5 * 2 ** (failures - SLOWDOWN_FREE_FAILURES - 1)
    return float(min(pause, settings.PORTAL_LOGIN_SLOWDOWN_MAX_SECONDS))


class AccountSlowdownBackend:
    """An authentication backend that authenticates no one: before the next backend checks the
    password, it pauses by the account's recent failures (:func:`slowdown_seconds`). Guessing one
    account's password gets slow; the account is never locked, so no one can lock another person
    out. (The address the guesses come from is locked by django-axes after 5 failures.)"""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs: Any):
        if request is None or not username:
            return None
        pause = slowdown_seconds(account_failures(username))
        if pause:
            logger.info("login slowed username=%r pause=%.1fs ip=%s", username, pause, _ip(request))
            sleep(pause)
        return None  # no get_user(): force_login and sessions use the next backend


class WithoutTraceback(logging.Filter):
    """Drops a record's traceback, keeping its message: one line for an expected event."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _ip(request: HttpRequest | None) -> str:
    return client_ip_address(request) or "-"


def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login user=%r ip=%s", user.get_username(), _ip(request))


def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django masks the password in ``credentials``; only the username is logged.
    username = credentials.get("username", "")
    logger.warning("login failed username=%r ip=%s", username, _ip(request))


def log_logout(sender, request, user, **kwargs) -> None:
    name = user.get_username() if user is not None else ""
    logger.info("logout user=%r ip=%s", name, _ip(request))


def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning("lockout username=%r ip=%s", username or "", ip_address or "-")


def log_wrong_second_factor(sender, user, **kwargs) -> None:
    logger.warning("second factor refused user=%r", user.get_username())


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django_otp.forms import otp_verification_failed

    uid = "portal.security"
    auth_signals.user_logged_in.connect(log_login, dispatch_uid=f"{uid}.login")
    auth_signals.user_login_failed.connect(log_login_failed, dispatch_uid=f"{uid}.failed")
    auth_signals.user_logged_out.connect(log_logout, dispatch_uid=f"{uid}.logout")
    user_locked_out.connect(log_lockout, dispatch_uid=f"{uid}.lockout")
    otp_verification_failed.connect(log_wrong_second_factor, dispatch_uid=f"{uid}.otp")
