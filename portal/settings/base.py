"""Settings shared by every environment. Environment-specific modules import from here."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")  # environment modules decide whether "" is allowed
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch its forms.
    "modeltranslation",
    # Django's admin on the portal's admin site: second factor (django-otp) and its enrolment page.
    "portal.apps.PortalAdminConfig",
    "nested_admin",  # nested inlines: signatures/attendance inside signing events on the agreement
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # its sitemap.xml template
    "rest_framework",  # the read-only API under /api/v1/ (portal/api)
    "django_filters",  # one FilterSet per list: the page and the API (partnerships/filters.py)
    "drf_spectacular",  # its OpenAPI schema
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "phonenumber_field",
    "axes",  # brute-force protection of the login (see "Login protection" below)
    "django_otp",
    "import_export",  # spreadsheet import/export in the admin (organizations/imports.py)
    "django_otp.plugins.otp_totp",  # TOTP devices (authenticator apps) for the admin's 2nd factor
    # History of every change (core/history.py): PostgreSQL triggers write event rows.
    # After modeltranslation, whose ready() imports the translation modules that set tracking up.
    "pgtrigger",
    "pghistory",
    "core",  # the kernel below both apps (core/__init__.py)
    "organizations",
    "partnerships",
    "portal",  # template tags (portal/templatetags) and the error pages
    "django_tasks_db",  # django.tasks' database backend and its worker (manage.py db_worker)
]

MIDDLEWARE = [
    # /healthz, /readyz for probes: before the host check and HTTPS redirect (portal/health.py).
    "portal.health.HealthCheckMiddleware",
    # One log line per request (portal/request_log.py): outermost, to time everything else.
    "portal.request_log.RequestLogMiddleware",
    # Which database this request reads from (portal/db_router.py): before anything reads.
    "portal.db_router.ReplicaMiddleware",
    # A view failing on an unreachable or too slow database answers 503 with Retry-After.
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # /api/ only: CORS, ETag/Last-Modified with 304, JSON errors (after LocaleMiddleware, which
    # adds Content-Language; before CommonMiddleware, whose redirects are then JSON-free).
    "portal.api.middleware.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous public pages from the shared cache, and 304s, before the view (portal/caching.py):
    # after LocaleMiddleware (the language is part of the key), before everything a hit skips.
    # Counts views of records' public pages, cache hits too (core/pageviews.py): outside the cache.
    "core.pageviews.PageViewMiddleware",
    "portal.caching.PageCacheMiddleware",
    # brotli/gzip (portal/compression.py): inside the page cache, which stores compressed pages.
    "portal.compression.CompressionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): after authentication
    # A signed-in staff member's own time zone, from the session (core/timezones.py).
    "core.timezones.TimeZoneMiddleware",
    # Attaches the user and URL to every history event written during the request (pghistory's
    # middleware, skipped for anonymous public GETs: portal/middleware.py).
    "portal.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes answers locked-out logins; its documentation wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # {{ csp_nonce }} for the admin
            ],
        },
    },
]

# Django's form renderer with its plain widget templates written in Python, byte for byte
# (core/form_rendering.py, docs/shims.md): a third of the agreement admin page's time.
FORM_RENDERER = "core.form_rendering.FormRenderer"


def database_options(
    *, connect_timeout: int, statement_timeout_ms: int, lock_timeout_ms: int = 0
) -> dict[str, object]:
    """libpq connection options: give up connecting after ``connect_timeout`` seconds; let the
    server cancel any statement that runs longer than ``statement_timeout_ms`` or waits for a
    lock longer than ``lock_timeout_ms`` (0: never); TCP keepalives and ``tcp_user_timeout``
    notice a peer gone from the network (10 s idle, then 3 probes 3 s apart; unacknowledged data
    for 15 s).

    They turn a database that is down, stuck or cut off into an error within seconds, which the
    portal answers with a 503 page (portal.middleware.DatabaseUnavailableMiddleware), instead of a
    request that hangs until the server's worker timeout kills it. A server that is frozen
    (SIGSTOP: its kernel still acknowledges) is bounded by the client-side deadline
    (``PORTAL_DB_CLIENT_TIMEOUT_MS``, portal/db_deadline.py).
    """
    options: dict[str, object] = {
        "connect_timeout": connect_timeout,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        "tcp_user_timeout": 15_000,
    }
    server_options = []
    if statement_timeout_ms:
        server_options.append(f"-c statement_timeout={statement_timeout_ms}")
    if lock_timeout_ms:
        server_options.append(f"-c lock_timeout={lock_timeout_ms}")
    if server_options:
        options["options"] = " ".join(server_options)
    return options


def database_config(
    *, statement_timeout_ms: int | None = None, lock_timeout_ms: int | None = None
) -> dict | None:
    """``DATABASE_URL`` (PostgreSQL >= 15) as a ``DATABASES`` entry; None when it is unset.

    Without it, dev.py and test.py start the embedded server; production refuses to start.
    Nothing here starts or connects to a database. Connections are kept for
    ``PORTAL_DB_CONN_MAX_AGE`` seconds (60) and checked before each request reuses one
    (``CONN_HEALTH_CHECKS``): after a database restart the next request reconnects by itself.
    Options given in the URL's query string (``?sslmode=require``) are kept.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("PORTAL_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    if config["ENGINE"] != "django.db.backends.postgresql":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL, not {config['ENGINE']}."
        )
    if statement_timeout_ms is None:
        statement_timeout_ms = env_int("PORTAL_STATEMENT_TIMEOUT_MS", 0, minimum=0)
    if lock_timeout_ms is None:
        lock_timeout_ms = env_int("PORTAL_LOCK_TIMEOUT_MS", 0, minimum=0)
    config["OPTIONS"] = {
        **database_options(
            connect_timeout=env_int("PORTAL_DB_CONNECT_TIMEOUT", 3, minimum=1),
            statement_timeout_ms=statement_timeout_ms,
            lock_timeout_ms=lock_timeout_ms,
        ),
        **config.get("OPTIONS", {}),
    }
    return dict(config)


_database = database_config()
DATABASES = {"default": _database} if _database else {}
# The client-side deadline on every wait for the database (portal/db_deadline.py): 0 is none
# (libpq's blocking waits); production sets it for web requests.
PORTAL_DB_CLIENT_TIMEOUT_MS = env_int("PORTAL_DB_CLIENT_TIMEOUT_MS", 0, minimum=0)


def replica_configs() -> dict[str, dict]:
    """``DATABASE_REPLICA_URLS`` (comma-separated PostgreSQL URLs) as ``replica_1``, ``replica_2``…

    Read-only copies of the primary (PostgreSQL streaming replication): public pages read from
    them, everything else from the primary (portal/db_router.py). Unset: no replicas.
    """
    urls = [url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")]
    configs = {}
    for number, url in enumerate((url for url in urls if url), start=1):
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        # Tests never create a replica database: it is the primary's test database.
        config["TEST"] = {"MIRROR": "default"}
        configs[f"replica_{number}"] = config
    return configs


DATABASES.update(replica_configs())
# The aliases public pages read from (portal/db_router.py); the tests set it per test.
PORTAL_READ_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica_")]
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

# The shared cache: Redis when REDIS_URL is set (every app server sees the same pages and
# sessions), otherwise this process's memory (one server; each worker has its own).
REDIS_URL = env_str("REDIS_URL", "").strip()
if REDIS_URL:
    # Redis is an optimisation: when it fails, reads are misses and writes are dropped, pages come
    # from the database, and /readyz says "degraded" (portal/cache.py). A Redis that hangs
    # costs at most PORTAL_REDIS_TIMEOUT_MS per call, then is left alone for two seconds.
    _redis_timeout = env_int("PORTAL_REDIS_TIMEOUT_MS", 500, minimum=1) / 1000
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Bounded: at most PORTAL_LOCMEM_MAX_ENTRIES keys per process (the oldest third is culled).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_LOCMEM_MAX_ENTRIES", 2000, minimum=10)},
        }
    }
    # Database sessions: a per-process cache would let a worker keep a session that another
    # worker ended (logout).
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The page cache (portal/caching.py): anonymous public pages, per language, keyed on the content
# generation. PORTAL_PAGE_CACHE=false switches it (and the ETags) off.
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", True)
PORTAL_PAGE_CACHE_ALIAS = "default"
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 24 * 60 * 60, minimum=1)
# Views of records' public pages (core/pageviews.py): counted in each process and written in one
# statement when the oldest is this old or this many wait (and at exit); the translation queue
# lists the records most viewed in the last PORTAL_PAGE_VIEWS_QUEUE_DAYS days first.
PORTAL_PAGE_VIEWS_FLUSH_SECONDS = env_int("PORTAL_PAGE_VIEWS_FLUSH_SECONDS", 60, minimum=1)
PORTAL_PAGE_VIEWS_FLUSH_VIEWS = env_int("PORTAL_PAGE_VIEWS_FLUSH_VIEWS", 500, minimum=1)
PORTAL_PAGE_VIEWS_QUEUE_DAYS = env_int("PORTAL_PAGE_VIEWS_QUEUE_DAYS", 90, minimum=1)
# Summaries that read a whole table (the home page's figures), kept in the same cache under the
# same content generation (core.caching.cached_summary), for every visitor.
PORTAL_SUMMARY_CACHE = env_bool("PORTAL_SUMMARY_CACHE", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out address before the password is checked; then the
    # account's slowdown (a pause after failed logins on it, never a refusal).
    "axes.backends.AxesStandaloneBackend",
    "portal.security.AccountSlowdownBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Object permissions (user.has_perm(perm, obj)): the model permission and the organisation
    # scope of core/access.py.
    "core.access.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English is the default and the fallback of every other language.
# The one list of languages: the pages, the translated fields (modeltranslation), the API's
# ?lang= and every module that loops over languages read it (core/languages.py). Adding a
# language is a line here (and its note below), a generated migration and a catalogue.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
]
# The note after a text shown in another language than the page's (portal_tags.fallback_note).
LANGUAGE_NOTES = {
    "en": _("in English"),
    "de": _("in German"),
    "ja": _("in Japanese"),
    "fr": _("in French"),
}
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates read "2 November 2015"; de and ja keep Django's formats (portal/formats).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
# English first, then any language that has a text: a title or quote may exist only in its
# original language (core/languages.py); pages mark the language shown.
# (modeltranslation tries the language, its own entry, then "default".)
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": MODELTRANSLATION_LANGUAGES}
# modeltranslation's tabbed admin loads jQuery UI from a CDN by default: serve the vendored copy
# (static/vendor/jquery-ui/) on Django's own admin jQuery instead. No third-party requests.
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded documents (partnerships/uploads.py): the largest file accepted, in megabytes. MEDIA_URL
# is served by nothing: the files are sent only through the document views, with their checks.
PORTAL_MAX_UPLOAD_MB = env_int("PORTAL_MAX_UPLOAD_MB", 20, minimum=1)
# Office files (DOCX, XLSX, ... are ZIP packages; core/archives.py), uploaded as documents or
# imported as spreadsheets: at most this much unpacked, in at most this many parts (no zip bombs).
PORTAL_OFFICE_MAX_UNPACKED_MB = env_int("PORTAL_OFFICE_MAX_UNPACKED_MB", 200, minimum=1)
PORTAL_OFFICE_MAX_ENTRIES = env_int("PORTAL_OFFICE_MAX_ENTRIES", 2000, minimum=10)

# An agreement is "dormant" after this many months without a recorded activity
# (partnerships/health.py): the dashboard, the reminders and the reports.
PORTAL_DORMANT_MONTHS = env_int("PORTAL_DORMANT_MONTHS", 12, minimum=1)


def default_storage_config() -> dict[str, Any]:
    """Where uploaded files go: MEDIA_ROOT, or an S3-compatible bucket when PORTAL_S3_BUCKET is set.

    S3 (django-storages): PORTAL_S3_ENDPOINT_URL for a store that is not Amazon's (MinIO, Ceph,
    Hetzner, OVH, ...), PORTAL_S3_REGION, PORTAL_S3_PREFIX (a folder in the bucket). The
    credentials are boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment,
    or an instance role. The bucket stays private: files are sent only by the document views.
    """
    bucket = env_str("PORTAL_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("PORTAL_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": env_str("PORTAL_S3_REGION", "").strip() or None,
            "location": env_str("PORTAL_S3_PREFIX", "").strip("/"),
            "default_acl": None,  # the bucket's own (private) policy
            "file_overwrite": False,  # names are random anyway (partnerships/uploads.py)
            "querystring_auth": True,
        },
    }


STORAGES = {
    "default": default_storage_config(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Open data (core/downloads.py, portal/open_data/): the licence of the list downloads
# and of the export (a Frictionless licence: SPDX name, title, URL), the STORAGES alias the
# export is written to (open-data/<timestamp>/ in it), and the portal's public address, which the
# export's page links start with (manage.py export_open_data --base-url overrides it).
PORTAL_OPEN_DATA_LICENSE = {
    "name": env_str("PORTAL_OPEN_DATA_LICENSE", "CC-BY-4.0"),
    "title": env_str(
        "PORTAL_OPEN_DATA_LICENSE_TITLE", "Creative Commons Attribution 4.0 International"
    ),
    "path": env_str("PORTAL_OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}
PORTAL_OPEN_DATA_STORAGE = "default"
PORTAL_PUBLIC_URL = env_str("PORTAL_PUBLIC_URL", "http://localhost:8000").strip().rstrip("/")

# Login protection (django-axes): 5 failed logins from one address lock that address out — even
# with the right password — until 30 minutes have passed without a failure (a failure less than 30
# minutes after the last one adds to the count; one during the lockout starts the 30 minutes
# anew). An account is never locked (anyone could lock anyone's account by guessing): its failed
# logins slow each further attempt on it instead, up to PORTAL_LOGIN_SLOWDOWN_MAX_SECONDS
# (portal.security.AccountSlowdownBackend). Administrators unlock an address early: admin
# "Access attempts", or manage.py axes_reset_ip <address>.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = False  # a success between guesses does not reset the count
PORTAL_LOGIN_SLOWDOWN_MAX_SECONDS = env_int("PORTAL_LOGIN_SLOWDOWN_MAX_SECONDS", 5, minimum=0)
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip_address"
AXES_VERBOSE = False  # portal.security logs each event in one line
# Behind a reverse proxy the client's address is the n-th from the right of X-Forwarded-For,
# n = the number of proxies that append to it. 0: REMOTE_ADDR (no proxy, or one that hides it).
PORTAL_TRUSTED_PROXY_COUNT = int(env_str("PORTAL_TRUSTED_PROXY_COUNT", "0"))

# Second factor (django-otp): a staff member who enrolled an authenticator app enters its code at
# the admin login. True: superusers must enrol before they can use the admin (production).
PORTAL_REQUIRE_ADMIN_2FA = env_bool("PORTAL_REQUIRE_ADMIN_2FA", False)
OTP_TOTP_ISSUER = "Cluster Partnership Portal"
# An authenticator's secret is shown once, at enrolment: never again in the admin (its key, its
# configuration page, its QR code), whoever asks (portal/admin.py).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Bounds on one admin POST (core/admin/limits.py). Rows per inline formset: more is a form error,
# and no more forms than that are built. Fields per request: more is refused with 400 before any
# form is built. Fitted to the largest real agreement (the 2015 press release's: its change page
# sends 161 fields in formsets of at most 6 rows; tests/core/test_admin_limits.py measures it)
# with room for one ten times its size. Django's default, 1,000 fields, would be 6 times.
PORTAL_ADMIN_MAX_INLINE_ROWS = env_int("PORTAL_ADMIN_MAX_INLINE_ROWS", 100, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("PORTAL_MAX_FORM_FIELDS", 2000, minimum=100)

# The admin's address: DJANGO_ADMIN_URL, e.g. "office-7f3a/" (a trailing slash, no leading one).
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Sessions: the admin's are the only ones. A working day of inactivity logs out; every request
# renews the cookie (one UPDATE of the session row per admin request; public pages have none).
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy on every response (Django's ContentSecurityPolicyMiddleware): only the
# portal's own scripts, styles, images and fonts; no inline script or style, except the admin's
# few tags that carry the request's nonce ({% csp_nonce_attr %} in Django's admin templates).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # data: nested_admin's stylesheet draws icons as data: images
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# portal.middleware.PermissionsPolicyMiddleware: no page needs any of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}
# Links to partners' websites leave no trace of the page they were followed from.
SECURE_REFERRER_POLICY = "same-origin"


def logging_config(log_format: str, *, request_log: bool) -> dict[str, Any]:
    """Python logging to standard error: ``text`` lines, or ``json`` (one object per line);
    with ``request_log``, one line per request (portal/request_log.py)."""
    if log_format not in ("text", "json"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"PORTAL_LOG_FORMAT={log_format!r}: use text or json.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            # One line, never a traceback, for what is expected on the open internet: a bad Host
            # header is an attacker's or a scanner's request, not the portal's error.
            "without_traceback": {"()": "portal.security.WithoutTraceback"},
        },
        "formatters": {
            "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            # python-json-logger: the record's fields and its extra= fields (portal/request_log.py).
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "line",
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "django.security.DisallowedHost": {"filters": ["without_traceback"]},
            # Logins, failures, lockouts, logouts, second-factor events: one line each.
            "portal.security": {"level": "INFO"},
            "axes": {"level": "ERROR"},  # portal.security says it once, in one line
            "portal.request": {"level": "INFO" if request_log else "WARNING"},
        },
    }


# PORTAL_LOG_FORMAT: text (development, tests) or json (production's default).
# PORTAL_REQUEST_LOG: one line per request (production's default; off in development and tests).
PORTAL_LOG_FORMAT = env_str("PORTAL_LOG_FORMAT", "text").strip().lower()
PORTAL_REQUEST_LOG = env_bool("PORTAL_REQUEST_LOG", False)
LOGGING = logging_config(PORTAL_LOG_FORMAT, request_log=PORTAL_REQUEST_LOG)

# Whoever runs the portal, named on the privacy notice (/<lang>/privacy/) as the one to contact
# about personal data. Unset (development, tests), the page shows a visible placeholder instead.
PORTAL_OPERATOR_NAME = os.environ.get("PORTAL_OPERATOR_NAME", "").strip()
PORTAL_OPERATOR_EMAIL = os.environ.get("PORTAL_OPERATOR_EMAIL", "").strip()

# The history triggers of the many-to-many link tables (Region.members, Organization.focus_areas,
# Agreement.focus_areas …): Django makes no migrations for auto-created through models, so their
# triggers are installed after every `migrate` (the other models' triggers are in migrations).
PGTRIGGER_INSTALL_ON_MIGRATE = True
# The read-only API (portal/api): anonymous, throttled per client address, JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("PORTAL_API_THROTTLE", "120/minute")},
    "NUM_PROXIES": PORTAL_TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Partnership Portal API",
    "DESCRIPTION": (
        "Read-only open data: regions, organisations, public contacts, published agreements "
        "with their parties, signings, statements and public documents, and events. Lists are "
        "in id order, a page at a time (follow 'next'). Sync with ?modified_since= and "
        "/api/v1/changes/?since=. ?lang=en|de|ja|all chooses the language of translated fields."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI draws each as a link inside the operation's button (axe:
    # nested-interactive); without them the link has no href and is not focusable.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    # One name per choice set (several models have a "kind"; languages appear under several
    # field names): without these the schema's enum names are generated with hashes.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "partnerships.models.LANGUAGE_CHOICES",
        "RegionKindEnum": "organizations.models.Region.Kind",
        "OrganizationKindEnum": "organizations.models.Organization.Kind",
        "LocationSourceEnum": "organizations.models.Organization.LocationSource",
        "AgreementKindEnum": "partnerships.models.Agreement.Kind",
        "DocumentKindEnum": "partnerships.models.Document.Kind",
    },
}

# Spreadsheet import in the admin (django-import-export; organizations/imports.py,
# partnerships/imports.py): every import runs in one transaction, and a file with any invalid row
# writes nothing (the admin mixin also rolls back on validation errors). Import needs the add
# permission, export the view permission (core/admin/imports.py); the rows each user may
# write follow core/access.py.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Renewal reminders (partnerships/reminders.py): e-mails to the managers of each party, this many
# months before an agreement's notice deadline and before its end of term (largest first).
PORTAL_REMINDER_LEAD_MONTHS = sorted(
    {int(months) for months in env_list("PORTAL_REMINDER_LEAD_MONTHS", ["6", "3", "1"])},
    reverse=True,
)
if not PORTAL_REMINDER_LEAD_MONTHS or min(PORTAL_REMINDER_LEAD_MONTHS) < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PORTAL_REMINDER_LEAD_MONTHS: whole numbers of months, e.g. 6,3,1.")
# The portal's address, for links in e-mails (no request to build them from): no trailing slash.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")

# Django's tasks framework (django.tasks): the database backend of django-tasks-db; a worker
# (`manage.py db_worker`) runs what is enqueued (the reminder run: partnerships/tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_config(url: str) -> dict[str, Any]:
    """``EMAIL_URL`` as a ``MAILERS`` entry: ``smtp://user:password@host:587`` (STARTTLS;
    ``?tls=0`` for none), ``smtps://…:465`` (implicit TLS), ``console:`` or ``locmem:``. User and
    password are percent-decoded (an ``@`` in a password is ``%40``)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    from django.core.exceptions import ImproperlyConfigured

    parts = urlsplit(url)
    backends = {
        "smtp": SMTP_BACKEND,
        "smtps": SMTP_BACKEND,
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL: use smtp://, smtps://, console: or locmem:, not {parts.scheme!r}."
        )
    config: dict[str, Any] = {"BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        tls = parse_qs(parts.query).get("tls", ["1"])[0].lower() not in ("0", "false", "no", "off")
        config["OPTIONS"] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp" and tls,
            "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
        }
    return config


def email_settings() -> dict[str, Any]:
    """The default mailer: ``EMAIL_URL``, or SMTP from ``EMAIL_HOST`` / ``EMAIL_PORT`` /
    ``EMAIL_HOST_USER`` / ``EMAIL_HOST_PASSWORD`` / ``EMAIL_USE_TLS`` (default localhost:587
    with STARTTLS)."""
    url = env_str("EMAIL_URL", "").strip()
    if url:
        return email_config(url)
    return {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
        },
    }


# E-mail (Django 6.1's MAILERS): dev.py prints mails on the console, the tests keep them in
# mail.outbox (Django's test runner swaps every mailer for locmem).
MAILERS = {"default": email_settings()}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
