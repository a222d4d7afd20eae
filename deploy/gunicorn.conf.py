"""gunicorn's settings for the portal in production: ``make serve-production``, or

    .venv/bin/gunicorn --config deploy/gunicorn.conf.py portal.wsgi

Every value can be changed from the environment (GUNICORN_* below) without editing this file.
Sync workers: each request holds one worker, so the number of workers is the number of requests
served at once; the statement timeout (PORTAL_STATEMENT_TIMEOUT_MS, 10 s) ends a slow query
well before ``timeout`` kills the worker.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 x cores) + 1: the classic figure for sync workers that wait on the database.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes longer than this kills its worker (and answers 502 at the proxy).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or reload, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced after about this many requests (a leak cannot grow for ever); the jitter
# keeps them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load Django once in the master: workers start fast and share memory. Database connections are
# only opened by the workers, on their first request.
preload_app = True
# The proxy in front sets X-Forwarded-For/-Proto; trusted from these addresses only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs on standard error. Django already writes one JSON line per request (portal.request,
# with duration, queries and user); gunicorn's access log adds one from the server's side,
# also as JSON, unless GUNICORN_ACCESS_LOG=0.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "0" else "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)

# The access log's path: the private calendar's token hashed, control characters and quotes
# escaped (a newline or NUL in a path broke the JSON lines): portal.request_log.loggable_path.
logger_class = "portal.gunicorn_logging.AccessLogger"

raw_env = ["DJANGO_SETTINGS_MODULE=portal.settings.production"]
