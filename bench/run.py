"""``make bench``: every public page type under the production server, against a large data set.

    .venv/bin/python bench/run.py                        # 100,000 organisations (generated once)
    .venv/bin/python bench/run.py --organizations 20000  # another size: the data set is remade
    .venv/bin/python bench/run.py --regenerate           # remake the data set (make bench-data)
    .venv/bin/python bench/run.py --repeat 10 --load-seconds 5

1. The benchmark's own database: an embedded PostgreSQL server under ``var/bench-pgdata``
   (``bench/database.py``), kept between runs. When it does not hold exactly ``--organizations``
   generated organisations it is dropped and made again with ``manage.py generate_fake_data``
   (deterministic: the same seed gives the same rows), plus the few real regions and the two
   demo-named organisations the searches look for (``bench/search.py``).
2. SQL queries of each page, counted in this process with Django's test client (the full
   middleware, the bench settings).
3. gunicorn on loopback with the bench settings (``bench/settings.py``: the production
   settings over plain HTTP, plus the bare view ``/bench/bare/``); each page is requested over
   HTTP one at a time (warm-up, then ``--repeat`` times): median and 95th percentile, response
   size, and the ratio of the page's median to the bare view's, measured in the same run.
4. A short bounded load run with ``wrk`` (a Python client when wrk is missing): ``--connections``
   connections for ``--load-seconds`` seconds on the agreements list, the organisation list and
   the bare view: requests per second, p99, errors.

Prints a Markdown table (also written to ``var/bench-results.md``). Not a test: the figures
depend on the machine and on whatever else runs on it (the machine's load is printed too).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench-results.md"
BARE = "/bench/bare/"
LOAD_PAGES = ["agreements list, first page", "organisation list, first page", "bare view"]


@dataclass
class Page:
    name: str
    path: str
    queries: int | None = None
    status: int | None = None
    times: list[float] = field(default_factory=list)
    size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else math.nan

    @property
    def p95(self) -> float:
        return percentile(self.times, 95)


@dataclass
class Load:
    name: str
    path: str
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int
    tool: str


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (no interpolation: a p95 of 30 requests is a real one)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


# --- the data set ---------------------------------------------------------------------------


def prepare_environment(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("PORTAL_OPERATOR_NAME", "Benchmark")
    # The API's throttle (120 requests a minute per address) would answer 429 to the timings.
    os.environ.setdefault("PORTAL_API_THROTTLE", "1000000/minute")
    # This process makes the data set (bulk inserts of minutes): no statement timeout here, as
    # for manage.py commands. The server keeps the production timeout (server_environment()).
    os.environ.setdefault("PORTAL_STATEMENT_TIMEOUT_MS", "0")
    # Queries are counted in this process on the second request: with the page cache on, that
    # would be a cache hit (the content generation's one query).
    os.environ["PORTAL_PAGE_CACHE"] = "false"
    sys.path.insert(0, str(ROOT))


def server_environment(page_cache: bool = False) -> dict[str, str]:
    """The environment of gunicorn: the production statement timeout unless one was given, and
    the page cache off (every request renders: the uncached figures) or on."""
    env = os.environ.copy()
    env["PORTAL_PAGE_CACHE"] = "true" if page_cache else "false"
    if _STATEMENT_TIMEOUT_GIVEN is None:
        env.pop("PORTAL_STATEMENT_TIMEOUT_MS", None)
    return env


_STATEMENT_TIMEOUT_GIVEN = os.environ.get("PORTAL_STATEMENT_TIMEOUT_MS")


def recreate_database(database_url: str) -> None:
    """Drop and create the benchmark database (the embedded server's ``portal`` database)."""
    import psycopg2
    from django.db import connections

    connections.close_all()
    server_url = database_url.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(server_url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS portal WITH (FORCE)")
            cursor.execute("CREATE DATABASE portal")
    finally:
        connection.close()


def ensure_data(organizations: int, regenerate: bool, database_url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from organizations.models import Organization
    from partnerships.models import Activity

    have = Organization.objects.filter(slug__startswith="fake-").count()
    if have == organizations and not regenerate:
        print(f"Data set: {have:,} generated organisations (kept from an earlier run)")
        if not Activity.objects.exists():  # a data set made before issue 21: add activities
            call_command("generate_fake_data", organizations=0, activities_per_year=5)
        return
    print(f"Data set: generating {organizations:,} organisations (had {have:,})", flush=True)
    started = time.monotonic()
    if have:
        recreate_database(database_url)
        call_command("migrate", verbosity=0, interactive=False)
    from bench.search import ensure_anchors

    ensure_anchors()
    # Issue 21: about five activities per agreement and year, over its last five years.
    call_command("generate_fake_data", organizations=organizations, activities_per_year=5)
    with connection.cursor() as cursor:  # statistics and the visibility map (index-only scans)
        cursor.execute("VACUUM ANALYZE")
    print(f"Data set generated in {time.monotonic() - started:.0f} s", flush=True)


# --- the pages ------------------------------------------------------------------------------


def public_pages() -> list[Page]:
    """One URL per public page type, chosen from whatever the database holds."""
    from django.db.models import Count
    from django.urls import reverse

    from organizations.models import Organization, Region
    from organizations.views import PAGE_SIZE as ORGANIZATIONS_PAGE_SIZE
    from partnerships.models import Activity, Agreement, AgreementParty, Event
    from partnerships.views import PAGE_SIZE as AGREEMENTS_PAGE_SIZE

    def last_page(count: int, size: int) -> int:
        return max(1, math.ceil(count / size))

    agreements = last_page(Agreement.objects.published().count(), AGREEMENTS_PAGE_SIZE)
    organizations = last_page(Organization.objects.count(), ORGANIZATIONS_PAGE_SIZE)
    agreement = (
        Agreement.objects.published().filter(signing_events__isnull=False).order_by("pk").first()
        or Agreement.objects.published().order_by("pk").first()
    )
    party = (
        AgreementParty.objects.filter(agreement__in=Agreement.objects.published())
        .order_by("organization_id")
        .select_related("organization")
        .first()
    )
    # generate_fake_data's countries come first by slug ("fake-country-01", ...).
    countries = list(Region.objects.filter(kind=Region.Kind.COUNTRY).order_by("slug")[:2])
    state = (
        Region.objects.filter(kind=Region.Kind.SUBDIVISION, parent__in=countries[:1])
        .order_by("slug")
        .first()
    )
    event = Event.objects.public().order_by("-starts_on", "pk").first()
    year = agreement.signed_on.year if agreement and agreement.signed_on else 2015

    pages = [
        Page("bare view", BARE),
        Page("home", "/en/"),
        Page("agreements list, first page", "/en/agreements/"),
        Page("agreements list, middle page", f"/en/agreements/?page={max(1, agreements // 2)}"),
        Page("agreements list, last page", f"/en/agreements/?page={agreements}"),
    ]
    if countries:
        filtered = f"/en/agreements/?region={countries[0].slug}&year={year}"
        pages.append(Page("agreements list, filtered", filtered))
    # The map (partnerships/maps.py): aggregated per country beyond maps.MAX_ARCS agreements.
    pages.append(Page("map", "/en/map/"))
    if countries:
        pages.append(Page("map, filtered", f"/en/map/?region={countries[0].slug}&status=in_force"))
    if agreement:
        pages.append(Page("agreement detail", agreement.get_absolute_url()))
    # Issue 21: the agreement with the most public activities (its timeline), and the reports.
    busiest = (
        Activity.objects.public()
        .values("agreement")
        .annotate(n=Count("pk"))
        .order_by("-n", "agreement")
        .values_list("agreement", flat=True)
        .first()
    )
    if busiest:
        timeline = Agreement.objects.get(pk=busiest)
        pages.append(Page("agreement with activities (timeline)", timeline.get_absolute_url()))
    this_year = datetime.date.today().year
    period = f"{this_year - 4}-{this_year}"
    if party:
        pages.append(
            Page(
                "report, organisation",
                f"/en/reports/organizations/{party.organization.slug}/{period}/",
            )
        )
    if state:
        pages.append(Page("report, region", f"/en/reports/regions/{state.slug}/{period}/"))
    if len(countries) == 2:
        pair = f"{countries[0].slug}/{countries[1].slug}"
        pages.append(Page("report, region pair", f"/en/reports/regions/{pair}/{period}/"))
    if party:
        pages.append(
            Page(
                "report, organisation, one year",
                f"/en/reports/organizations/{party.organization.slug}/{this_year - 1}/",
            )
        )
    pages += [
        Page("organisation list, first page", "/en/organizations/"),
        Page("organisation list, last page", f"/en/organizations/?page={organizations}"),
        Page("search, broad (cluster)", "/en/organizations/?q=cluster"),
        Page("search, selective (BioM)", "/en/organizations/?q=BioM"),
        Page("search, Japanese (大阪)", "/ja/organizations/?q=%E5%A4%A7%E9%98%AA"),
        Page("site search (cluster)", "/en/search/?q=cluster"),
    ]
    if len(countries) == 2:
        # Issue 22: the cooperation signal's filter ("who already cooperates there") and the
        # partner profile's filters.
        home, target = countries[0].slug, countries[1].slug
        pages += [
            Page(
                "organisation list, cooperates",
                f"/en/organizations/?cooperates={target}&region={home}",
            ),
            Page(
                "organisation list, profile filters",
                f"/en/organizations/?language=en&smes=50&target={target}",
            ),
        ]
    if party:
        pages.append(Page("organisation detail", party.organization.get_absolute_url()))
    # Issue 22: an organisation with a partner profile (languages, target regions, texts) and
    # published agreements.
    profiled = (
        Organization.objects.exclude(languages=[])
        .filter(agreement_parties__agreement__in=Agreement.objects.published())
        .order_by("pk")
        .first()
    )
    if profiled:
        pages.append(Page("organisation profile", profiled.get_absolute_url()))
    pages.append(Page("regions index", "/en/regions/"))
    if state:
        pages.append(Page("region page", f"/en/regions/{state.slug}/"))
        if len(countries) == 2:  # issue 22: who of the visitor's home region cooperates there
            pages.append(
                Page(
                    "region page, who cooperates",
                    f"/en/regions/{state.slug}/?from={countries[1].slug}",
                )
            )
    if len(countries) == 2:
        pages.append(Page("region pair", f"/en/regions/{countries[0].slug}/{countries[1].slug}/"))
    # Issue 22: the widgets for members' websites.
    if party:
        partners = f"/en/embed/organizations/{party.organization.slug}/partners/"
        pages.append(Page("widget, an organisation's partners", partners))
    if len(countries) == 2:
        pair = f"/en/embed/regions/{countries[0].slug}/{countries[1].slug}/"
        pages.append(Page("widget, region pair", pair))
    pages.append(Page("events", "/en/events/"))
    if event:
        pages.append(Page("events, filtered", f"/en/events/?year={event.starts_on.year}"))
        pages.append(Page("event detail", event.get_absolute_url()))
    pages += [
        Page("sitemap index", "/sitemap.xml"),
        Page("sitemap section (organisations)", "/sitemap-organizations.xml"),
        Page("feed", reverse("partnerships:agreement_feed").replace("/de/", "/en/")),
        Page("calendar", reverse("partnerships:signing_events_ics").replace("/de/", "/en/")),
    ]
    return pages + api_pages(countries[0].slug if countries else None)


def deep_cursor(queryset: Any) -> str:
    """A ``?cursor=`` of the API's id-ordered pages near the end: DRF's cursor encoding of a
    position (``p=<id>``), here the id 50 rows before the last — what a client that followed
    every ``next`` link would send."""
    import base64
    from urllib.parse import quote, urlencode

    position = queryset.order_by("-pk").values_list("pk", flat=True)[50:51].first() or 0
    return quote(base64.b64encode(urlencode({"p": position}).encode()).decode())


def api_pages(country: str | None) -> list[Page]:
    """The API's two big lists (issue 11): the first page, a filtered one and a deep cursor."""
    from organizations.models import Organization
    from partnerships.models import Agreement

    organizations = deep_cursor(Organization.objects.all())
    agreements = deep_cursor(Agreement.objects.published())
    pages = [Page("API organisations", "/api/v1/organizations/")]
    if country:
        pages.append(
            Page("API organisations, filtered", f"/api/v1/organizations/?country={country}")
        )
    pages += [
        Page("API organisations, deep cursor", f"/api/v1/organizations/?cursor={organizations}"),
        Page("API agreements", "/api/v1/agreements/"),
    ]
    if country:
        pages.append(Page("API agreements, filtered", f"/api/v1/agreements/?country={country}"))
    pages.append(Page("API agreements, deep cursor", f"/api/v1/agreements/?cursor={agreements}"))
    return pages


def count_queries(pages: list[Page]) -> None:
    """SQL queries and status of each page, in this process (the second request: warm)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    for page in pages:
        client.get(page.path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        page.queries, page.status = len(captured), response.status_code


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, page_cache: bool = False) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "portal.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=30",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=server_environment(page_cache))  # noqa: S603 - our own venv's gunicorn, fixed arguments
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, BARE)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def fetch(port: int, path: str, timeout: float = 60) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def time_pages(port: int, pages: list[Page], repeat: int, warm_up: int) -> None:
    for page in pages:
        for _ in range(warm_up):
            with contextlib.suppress(OSError):  # counted below
                fetch(port, page.path)
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                status, size = fetch(port, page.path)
            except OSError:  # the worker was killed (timeout): say so, go on
                status, size = 0, 0
            page.times.append((time.perf_counter() - started) * 1000)
            page.size = size
            page.status = status if status != 200 else page.status or status
        print(f"  {page.median:8.1f} ms  {page.path}", flush=True)


# --- load -----------------------------------------------------------------------------------

_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> tuple[float, float, int, int]:
    """(requests/s, p99 ms, requests, errors) from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99_ms = float(p99.group(1)) * _WRK_UNITS[p99.group(2)] if p99 else math.nan
    total = re.search(r"(\d+) requests in", output)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return rps, p99_ms, int(total.group(1)) if total else 0, errors


def load_wrk(port: int, path: str, connections: int, seconds: int) -> tuple[float, float, int, int]:
    threads = min(connections, os.cpu_count() or 2)
    wrk = shutil.which("wrk") or "wrk"
    url = f"http://127.0.0.1:{port}{path}"
    result = subprocess.run(  # noqa: S603 - wrk on loopback, fixed arguments
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=30s", "--latency",
         "-H", "Host: localhost", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    return parse_wrk(result.stdout)


def load_python(
    port: int, path: str, connections: int, seconds: int
) -> tuple[float, float, int, int]:
    """The same measurement without wrk: ``connections`` threads, each one request at a time."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = fetch(port, path, timeout=30)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                errors[0] += status >= 400 or status == 0

    pool = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    return len(times) / elapsed, percentile(times, 99), len(times), errors[0]


def load_run(
    port: int, pages: list[Page], connections: int, seconds: int, suffix: str = ""
) -> list[Load]:
    tool = "wrk" if shutil.which("wrk") else "python"
    run = load_wrk if tool == "wrk" else load_python
    results = []
    for page in pages:
        if page.name in LOAD_PAGES:
            # One discarded second of the same load first: every worker has then loaded its
            # templates and, with the page cache on, stored the page (each worker its own copy).
            run(port, page.path, connections, 1)
            rps, p99, total, errors = run(port, page.path, connections, seconds)
            results.append(Load(page.name + suffix, page.path, rps, p99, total, errors, tool))
    return results


# --- the report -----------------------------------------------------------------------------


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.node() or 'machine'}: {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def report(pages: list[Page], loads: list[Load], context: dict[str, Any]) -> str:
    bare = next((p for p in pages if p.path == BARE), None)
    lines = [
        f"Run: {context['organizations']:,} organisations, {context['agreements']:,} published "
        f"agreements; gunicorn {context['workers']} sync workers on loopback, bench settings "
        f"(production, DEBUG off, page cache off: every request renders); PostgreSQL "
        f"{context['postgres']}; {context['repeat']} requests per page after "
        f"{context['warm_up']} warm-up requests (two per worker: each worker keeps its own "
        f"cached summaries in local memory), one at a time.",
        f"Machine: {context['machine_before']} (before); {machine()} (after).",
        "",
        "| page | median ms | p95 ms | × bare | SQL queries | bytes | status |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        ratio = page.median / bare.median if bare and bare.median else math.nan
        queries = "–" if page.queries is None else str(page.queries)
        lines.append(
            f"| {page.name} (`{page.path}`) | {page.median:.1f} | {page.p95:.1f} | "
            f"{ratio:.1f}× | {queries} | {page.size:,} | {page.status} |"
        )
    if loads:
        tool = loads[0].tool
        lines += [
            "",
            f"Load: {context['connections']} connections for {context['load_seconds']} s each "
            f'({tool}, loopback); "cached": a second server with the page cache on '
            f"(local memory per worker).",
            "",
            "| page | requests/s | p99 ms | requests | errors |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {load.name} (`{load.path}`) | {load.requests_per_second:,.1f} | "
            f"{load.p99_ms:.0f} | {load.requests:,} | {load.errors} |"
            for load in loads
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true", help="make the data set again")
    parser.add_argument("--data-only", action="store_true", help="only make sure of the data set")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.database import database_url

    url = database_url()  # keeps the embedded server running while this process lives
    prepare_environment(url)
    import django

    django.setup()
    ensure_data(args.organizations, args.regenerate, url)
    if args.data_only:
        return
    from django.core.management import call_command
    from django.db import connection, connections

    from organizations.models import Organization
    from partnerships.models import Agreement

    call_command("collectstatic", interactive=False, verbosity=0)
    pages = public_pages()
    count_queries(pages)
    print(f"Timing {len(pages)} pages over HTTP, {args.repeat} requests each", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    context = {
        "organizations": Organization.objects.count(),
        "agreements": Agreement.objects.published().count(),
        "postgres": postgres,
        "workers": args.workers,
        "warm_up": 2 * args.workers,
        "repeat": args.repeat,
        "connections": args.connections,
        "load_seconds": args.load_seconds,
        "machine_before": machine(),
    }
    connections.close_all()
    port = free_port()
    server = start_server(port, args.workers)  # the page cache off: every request renders
    try:
        time_pages(port, pages, args.repeat, context["warm_up"])
        loads = [] if args.no_load else load_run(port, pages, args.connections, args.load_seconds)
    finally:
        stop_server(server)
    if not args.no_load:  # the same load with the page cache on (per worker: local memory)
        port = free_port()
        server = start_server(port, args.workers, page_cache=True)
        try:
            loads += load_run(port, pages, args.connections, args.load_seconds, ", cached")
        finally:
            stop_server(server)
    text = report(pages, loads, context)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"(written to {RESULTS.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
