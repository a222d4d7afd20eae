"""deploy/gunicorn.conf.py: gunicorn accepts it, and its access log lines are JSON."""

import datetime
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def test_gunicorn_accepts_the_config_and_loads_the_portal_with_production_settings(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_", "GUNICORN_"))
    }
    env |= {
        "DJANGO_SECRET_KEY": "s" * 50,
        "DATABASE_URL": "postgres://alice@db.example/portal",  # not connected to: no request
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            str(CONFIG),
            "--check-config",
            "portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_workers_follow_the_cores_and_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(CONFIG))

    assert config["workers"] == 3
    assert config["preload_app"] is True
    assert config["max_requests_jitter"] > 0
    assert config["timeout"] > config["keepalive"]


def test_an_access_log_line_is_json():
    config = runpy.run_path(str(CONFIG))
    atoms = {
        "t": "[26/Nov/2026:10:00:00 +0000]",
        "h": "203.0.113.9",
        "m": "GET",
        "U": "/en/agreements/",
        "s": "200",
        "B": "8123",
        "M": "12",
        "{x-request-id}o": "4f2a",
    }

    entry = json.loads(config["access_log_format"] % atoms)

    assert entry["status"] == 200
    assert entry["duration_ms"] == 12
    assert entry["request_id"] == "4f2a"


def test_a_path_with_a_newline_nul_or_quote_stays_one_json_line_and_hides_the_calendar_token():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from portal.gunicorn_logging import AccessLogger

    config = runpy.run_path(str(CONFIG))
    token = "s3cr3t-calendar-token"  # noqa: S105 - a test value
    logger = AccessLogger(Config())
    for path in ('/en/a\nb\x00c"d\\e', f"/calendar/deadlines/{token}.ics"):
        environ = {
            "PATH_INFO": path,
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "QUERY_STRING": "",
            "REQUEST_METHOD": "GET",
        }
        request = SimpleNamespace(headers=[], method="GET", path=path, query="", version=(1, 1))
        response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
        atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.01))
        atoms["{x-request-id}o"] = "-"
        line = config["access_log_format"] % atoms
        assert "\n" not in line and "\x00" not in line
        entry = json.loads(line)
        assert token not in line
        if "calendar" in path:
            assert entry["path"].startswith("/calendar/deadlines/sha256-")
        else:
            assert entry["path"] == '/en/a\\x0ab\\x00c"d\\e'
