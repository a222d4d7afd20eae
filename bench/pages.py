"""Page sizes and in-process times of the list pages, at first, middle and last page.

    .venv/bin/python bench/pages.py                 # the development database (manage.py's)
    .venv/bin/python bench/pages.py --repeat 5 /en/ /en/regions/

Reads whatever data the development database holds (grow it first with
``manage.py load_regions && manage.py generate_fake_data --organizations 20000``), requests each
page through Django's test client (full middleware, DEBUG off) and prints the median and the
slowest time, the number of SQL queries and the response size. Deep pages are found from the
page count of the first page (``?page=N``). Not a test: timings depend on the machine.

    .venv/bin/python bench/pages.py --types --repeat 20   # every page type of bench/run.py

``--types`` times the page types ``make bench`` times (``bench/run.py``'s ``public_pages``, with
the bare view's ratio) in this process, for a data set another process keeps (the shared one:
``DATABASE_URL`` as ``bench/README.md`` says) without migrating it or starting a server.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
# The API's throttle (120 requests a minute) would answer 429 to the timings.
os.environ.setdefault("PORTAL_API_THROTTLE", "1000000/minute")
if os.environ.get("BENCH_PGDATA") and not os.environ.get("DATABASE_URL"):
    # Join (or start) the shared benchmark server and keep it running while this process
    # times pages: a server joined by a shell's $(...) may stop when its starter exits.
    from bench.database import database_url

    os.environ["DATABASE_URL"] = database_url()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

DEFAULT_PATHS = [
    "/en/",
    "/en/agreements/",
    "/en/agreements/?page=middle",
    "/en/agreements/?page=last",
    "/en/organizations/",
    "/en/organizations/?page=middle",
    "/en/organizations/?page=last",
    "/en/regions/",
    "/sitemap.xml",
    "/sitemap-organizations.xml",
]
_LAST_PAGE_RE = re.compile(r"Page \d+ of (\d+)|[?&]page=(\d+)\"[^>]*>[^<]*</a>\s*</nav>")


def page_count(client: Client, path: str) -> int:
    """The number of pages of a list, read from its first page's pagination."""
    html = client.get(path).content.decode()
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    numbers += [int(n) for n in re.findall(r"Page \d+ of (\d+)", html)]
    return max(numbers, default=1)


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int, int, int]:
    """Median and 95th percentile (nearest rank) in ms, queries, bytes and status."""
    times, queries, size, status = [], 0, 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            content = response.content
            times.append((time.perf_counter() - start) * 1000)
        queries, size, status = len(captured), len(content), response.status_code
    ordered = sorted(times)
    p95 = ordered[max(1, math.ceil(0.95 * len(ordered))) - 1]
    return statistics.median(times), p95, queries, size, status


def page_types() -> list[tuple[str, str]]:
    """(name, path) of every page type ``bench/run.py`` times (its bare view is ``bench``'s
    URLconf's: here the smallest page, the robots file, stands in as the in-process floor)."""
    from bench.run import BARE, public_pages

    return [
        (page.name, "/robots.txt" if page.path == BARE else page.path) for page in public_pages()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--types", action="store_true", help="bench/run.py's page types")
    args = parser.parse_args()
    settings.DEBUG = False
    client = Client(HTTP_HOST="localhost")
    if args.types:
        print("| page | path | median ms | p95 ms | × floor | SQL queries | bytes | status |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        floor = None
        for name, path in page_types():
            client.get(path)  # warm up
            median, p95, queries, size, status = measure(client, path, args.repeat)
            floor = floor or median
            print(
                f"| {name} | `{path}` | {median:.1f} | {p95:.1f} | {median / floor:.1f}× "
                f"| {queries} | {size:,} | {status} |",
                flush=True,
            )
        return
    print(f"{'page':<48} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>11} status")
    for path in args.paths:
        if path.endswith(("page=middle", "page=last")):
            base = path.rsplit("page=", 1)[0].rstrip("?&")
            last = page_count(client, base)
            number = max(1, last // 2) if path.endswith("middle") else last
            path = f"{base}{'&' if '?' in base else '?'}page={number}"
        client.get(path)  # warm up: templates, translations, database caches
        median, p95, queries, size, status = measure(client, path, args.repeat)
        print(f"{path:<48} {median:>10.1f} {p95:>8.1f} {queries:>8} {size:>11,} {status}")


if __name__ == "__main__":
    main()
