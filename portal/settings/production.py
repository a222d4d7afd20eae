"""Production: every secret comes from the environment and nothing falls back silently.

The required variables are checked first, before the shared settings are even imported, so a
missing one fails at once with a message that names it, and never starts anything.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = {
    "DJANGO_SECRET_KEY": "Django's secret key: a long random string, kept secret",
    "DATABASE_URL": "the PostgreSQL >= 15 server, e.g. postgres://portal:secret@db:5432/portal",
}
_missing = [name for name in _REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production settings (portal.settings.production) need these environment variables: "
        + "; ".join(f"{name} ({_REQUIRED[name]})" for name in _missing)
        + "."
    )

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from portal.env import env_bool, env_int, env_str  # noqa: E402
from portal.settings.base import *  # noqa: E402, F403
from portal.settings.base import (  # noqa: E402
    database_config,
    default_storage_config,
    logging_config,
)

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")

# No query of a web request may hold a worker for ever: the server cancels it after
# PORTAL_STATEMENT_TIMEOUT_MS (5 s) or a lock wait after PORTAL_LOCK_TIMEOUT_MS (3 s), and the
# visitor gets the 503 page with Retry-After. A server that cannot cancel anything (frozen) is
# given up by the client after PORTAL_DB_CLIENT_TIMEOUT_MS (the statement timeout + 1 s:
# portal/db_deadline.py). manage.py commands (migrate, backups, generate_fake_data) may need
# longer: they default to none of these.
_RUNNING_A_COMMAND = Path(sys.argv[0]).name in ("manage.py", "django-admin")
PORTAL_STATEMENT_TIMEOUT_MS = env_int(
    "PORTAL_STATEMENT_TIMEOUT_MS", 0 if _RUNNING_A_COMMAND else 5_000, minimum=0
)
PORTAL_LOCK_TIMEOUT_MS = env_int(
    "PORTAL_LOCK_TIMEOUT_MS", 0 if _RUNNING_A_COMMAND else 3_000, minimum=0
)
PORTAL_DB_CLIENT_TIMEOUT_MS = env_int(
    "PORTAL_DB_CLIENT_TIMEOUT_MS",
    PORTAL_STATEMENT_TIMEOUT_MS + 1_000 if PORTAL_STATEMENT_TIMEOUT_MS else 0,
    minimum=0,
)
_database = database_config(
    statement_timeout_ms=PORTAL_STATEMENT_TIMEOUT_MS, lock_timeout_ms=PORTAL_LOCK_TIMEOUT_MS
)
DATABASES = {"default": _database} if _database else {}  # DATABASE_URL is required above

STORAGES = {
    "default": default_storage_config(),  # MEDIA_ROOT, or S3 with PORTAL_S3_BUCKET
    # WhiteNoise's compressed, hashed copies; a file missing from the manifest (collectstatic
    # forgotten) is logged, not a 500 on every page (portal/static_storage.py).
    "staticfiles": {"BACKEND": "portal.static_storage.ManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# __Host- cookies: only over HTTPS, only for this host (no Domain), for the whole site (Path=/):
# a sibling subdomain cannot plant or read them.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = "__Host-django_language"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Superusers cannot use the admin before they enrolled an authenticator app and entered a code.
PORTAL_REQUIRE_ADMIN_2FA = env_bool("PORTAL_REQUIRE_ADMIN_2FA", True)
SECURE_HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Links in e-mails (renewal reminders): the portal's public address, by default the first host.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", f"https://{ALLOWED_HOSTS[0]}").rstrip("/")  # noqa: F405
# E-mail comes from EMAIL_URL or EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/
# EMAIL_USE_TLS and DEFAULT_FROM_EMAIL (portal/settings/base.py); SMTP on localhost:587 if unset.

# Logs: one JSON object per line on standard error, one per request (portal/request_log.py).
PORTAL_LOG_FORMAT = env_str("PORTAL_LOG_FORMAT", "json").strip().lower()
PORTAL_REQUEST_LOG = env_bool("PORTAL_REQUEST_LOG", True)
LOGGING = logging_config(PORTAL_LOG_FORMAT, request_log=PORTAL_REQUEST_LOG)
