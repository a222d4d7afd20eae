"""Two app servers side by side share one PostgreSQL and one Redis (``REDIS_URL``): a session
started on one is valid on the other, a page cached by one is served by the other, and a change
reaches both.

Needs the ``redis-server`` program (Debian package ``redis-server``). Without it the test is
skipped on a workstation, and fails in CI (``CI`` set), which must install it.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from organizations.models import Region

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process on port {port} ended: {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


def start_redis(port: int) -> subprocess.Popen:
    """A real redis-server on ``port`` (no persistence), once it listens. Skipped without the
    Debian package on a workstation; a failure in CI, which must install it."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: CI must install it (.ci/run)")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    process = subprocess.Popen(  # noqa: S603 - the redis-server found on PATH, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return process


@pytest.fixture
def redis_url() -> Iterator[str]:
    port = free_port()
    process = start_redis(port)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def database_url_of_this_test() -> str:
    """A DATABASE_URL for the test database this test runs on (host may be a socket folder)."""
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"] or "", safe="")
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = ":" + urllib.parse.quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def server_env(**settings_env: str) -> dict[str, str]:
    """The environment of an app server on this test's database: the test settings, none of
    this process's DJANGO_/PORTAL_ variables, and ``settings_env``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_of_this_test(),
        **settings_env,
    }


def start_gunicorn(port: int, env: dict[str, str], *options: str) -> subprocess.Popen:
    """gunicorn of this environment serving the portal on ``port``, once it listens."""
    process = subprocess.Popen(  # noqa: S603 - gunicorn of this environment, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *options,
            f"--bind=127.0.0.1:{port}",
            "--timeout=30",
            "portal.wsgi",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise
    return process


@pytest.fixture
def two_servers(redis_url) -> Iterator[list[int]]:
    env = server_env(REDIS_URL=redis_url, PORTAL_PAGE_CACHE="1")
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter, manage.py, fixed arguments
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def request(port, method, path, *, cookies=None, body=None):
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    client.request(method, path, body=body, headers=headers)
    response = client.getresponse()
    content = response.read().decode()
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        set_cookies[name] = rest.split(";")[0]
    client.close()
    return response, content, set_cookies


def sign_in(port: int, username: str = "alice") -> dict[str, str]:
    """Sign ``username`` (password PASSWORD) in through the admin's login form; the session."""
    _, login_page, cookies = request(port, "GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    response, _, set_cookies = request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        cookies=cookies,
        body={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status == 302, "the login failed"
    return {"sessionid": set_cookies["sessionid"]}


def test_two_servers_share_sessions_and_cached_pages(two_servers, redis_url, django_user_model):
    first, second = two_servers
    django_user_model.objects.create_superuser("alice", "alice@example.com", PASSWORD)
    Region.objects.create(name="Testland", slug="testland", kind=Region.Kind.COUNTRY)

    # Signed in on the first server ...
    session = sign_in(first)
    # ... is signed in on the second, the session being in Redis (and the database).
    response, content, _ = request(second, "GET", "/admin/", cookies=session)
    assert response.status == 200
    assert "alice" in content
    assert redis.Redis.from_url(redis_url).keys("*session*")

    # A page cached by the first server is served by the second.
    response, content, _ = request(first, "GET", "/en/regions/testland/")
    assert response.getheader("X-Cache") == "miss"
    response, content, _ = request(second, "GET", "/en/regions/testland/")
    assert response.getheader("X-Cache") == "hit"
    assert "Testland" in content

    # A change reaches both: the second renders it anew, the first serves that page.
    Region.objects.filter(slug="testland").update(name_en="Renamed Land")
    response, content, _ = request(second, "GET", "/en/regions/testland/")
    assert response.getheader("X-Cache") == "miss"
    assert "Renamed Land" in content
    response, content, _ = request(first, "GET", "/en/regions/testland/")
    assert response.getheader("X-Cache") == "hit"
    assert "Renamed Land" in content


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(
    ("redis", "cache_backend", "session_engine"),
    [
        ("redis://cache.example:6379/0", "ResilientRedisCache", "sessions.backends.cached_db"),
        ("", "locmem.LocMemCache", "sessions.backends.db"),
    ],
)
def test_cache_and_sessions_use_redis_only_when_redis_url_is_set(
    redis, cache_backend, session_engine
):
    code = (
        "from portal.settings import base as s; "
        "print(s.CACHES['default']['BACKEND']); print(s.SESSION_ENGINE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | {"REDIS_URL": redis}
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    backend, engine = done.stdout.split()
    assert backend.endswith(cache_backend)
    assert engine.endswith(session_engine)
