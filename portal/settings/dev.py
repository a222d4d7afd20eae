"""Local development: `make run`. Never use in production."""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, VAR_DIR

DEBUG = True
# A fixed, clearly non-secret key for local development only.
# Production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if not DATABASES:  # DATABASE_URL is unset: start (or join) the embedded server
    from portal.embedded_postgres import database_settings

    DATABASES = {"default": database_settings(VAR_DIR / "pgdata")}

# `make run`'s admin / admin logs in with the password alone; an enrolled app is still asked for.
PORTAL_REQUIRE_ADMIN_2FA = False

# E-mails (renewal reminders) are printed on the console, unless EMAIL_URL says otherwise.
if not os.environ.get("EMAIL_URL", "").strip():
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
