"""Settings for ``make bench``: the production settings, served over plain HTTP on loopback.

Everything production does (DEBUG off, WhiteNoise with the hashed manifest, the same middleware
and database settings from ``DATABASE_URL``), except what loopback HTTP cannot do: no redirect
to HTTPS. Adds ``/bench/bare/``, a view that answers "ok" through the full middleware: the
baseline every page is compared with in the same run. ``bench/run.py`` sets the environment
(``DATABASE_URL`` of the benchmark's own database, a random ``DJANGO_SECRET_KEY``).
"""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import VAR_DIR

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = VAR_DIR / "bench-static"  # collected by bench/run.py, never the project's own
