"""Settings for the test suite (pytest-django)."""

from portal.env import env_bool
from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-insecure-key"  # noqa: S105 - test settings only
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, tests only
MEDIA_ROOT = VAR_DIR / "test-media"
# Serve static files from the finders, as in development; no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if not DATABASES:  # DATABASE_URL is unset: start (or join) the embedded server
    from portal.embedded_postgres import database_settings

    DATABASES = {"default": database_settings(VAR_DIR / "pgdata")}

# A test's commits need not survive a crash of the machine: the server answers a COMMIT without
# waiting for its WAL to reach the disk (creating the test databases, the browser tests' data).
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# A replica alias on the test database (Django's test mirror: the same database, another
# connection). Unused unless a test lists it in PORTAL_READ_REPLICAS (test_db_router.py).
DATABASES["replica_1"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
PORTAL_READ_REPLICAS = []

# The page cache adds a query to every anonymous request and keeps pages between tests: off, so
# query budgets count the pages' own queries; tests/portal/test_caching.py switches it on, and
# the app servers of tests/portal/test_shared_state.py get PORTAL_PAGE_CACHE=1.
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", False)
# Likewise the summaries (a test's writes never commit, so the generation would not change).
PORTAL_SUMMARY_CACHE = env_bool("PORTAL_SUMMARY_CACHE", False)

# The second factor is tested by switching this on per test (tests/portal/test_two_factor.py).
PORTAL_REQUIRE_ADMIN_2FA = False

# The API's throttle would stop the tests' many requests from one address; its own test lowers it.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}  # noqa: F405

# Tasks run at once, in the test's transaction (partnerships/tasks.py); mails go to mail.outbox.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PORTAL_BASE_URL = "https://portal.example"
PORTAL_REMINDER_LEAD_MONTHS = [6, 3, 1]

# Page views (core/pageviews.py) are never written by a page request in the tests (a write would
# break the query budgets) nor at exit (the test database is gone by then): tests/core/
# test_pageviews.py flushes itself.
PORTAL_PAGE_VIEWS_FLUSH_SECONDS = 10**9
PORTAL_PAGE_VIEWS_FLUSH_VIEWS = 10**9
PORTAL_PAGE_VIEWS_FLUSH_AT_EXIT = False
