"""What each performance shim still gains, with the page cache off and on (docs/shims.md).

    .venv/bin/python bench/shims.py                       # 3,000 generated organisations
    .venv/bin/python bench/shims.py --organizations 10000 --repeat 9

Builds its own throwaway database (``bench_shims`` on the test settings' server: migrations,
then ``generate_fake_data``), and drops it at the end. For each shim it times, in process with
Django's test client (full middleware, DEBUG off), the shim against what the framework does
instead:

- the sitemap writer (portal/sitemaps.py: ``render_page``, ``render_urlset``, the lazy
  paginator and ``_location``) against Django's sitemap view and ``sitemap.xml`` template on a
  plain ``Sitemap`` of the same rows: the XML alone, then the whole section page.

Each page is timed with the page cache off (every request renders: what a miss costs) and on
(the first request renders and stores, the others are hits, which never reach the shim). Not a
test: timings depend on the machine and its load. ``PlainSelect`` (Django's ``Select`` written
in Python) was measured by this script at commit 849b159, and removed (docs/shims.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sitemaps import views as sitemap_views  # noqa: E402
from django.contrib.sites.requests import RequestSite  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from portal import sitemaps  # noqa: E402
from tests.test_sitemap_equivalence import framework_twin  # noqa: E402 - the tested twin

SITEMAP_SECTION = "organizations"


def timed(function: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` runs of ``function``, in milliseconds, after one warm-up run."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_times(client: Client, path: str, repeat: int) -> tuple[float, float]:
    """(median ms with the page cache off, median ms of a hit with the page cache on)."""
    settings.PORTAL_PAGE_CACHE = False
    miss = timed(lambda: client.get(path).content, repeat)
    settings.PORTAL_PAGE_CACHE = True
    caches[settings.PORTAL_PAGE_CACHE_ALIAS].clear()
    hit = timed(lambda: client.get(path).content, repeat)  # the warm-up run stores the page
    settings.PORTAL_PAGE_CACHE = False
    return miss, hit


def bench_sitemap(client: Client, repeat: int) -> list[tuple[str, float, float]]:
    shim_class = sitemaps.SITEMAPS[SITEMAP_SECTION]
    twin = framework_twin(shim_class)
    request = RequestFactory().get(f"/sitemap-{SITEMAP_SECTION}.xml")
    site = RequestSite(request)

    def shim_xml() -> None:
        shim_class().render_page(1, "http://testserver")

    urls = shim_class().get_urls(page=1, site=site, protocol="http")

    def framework_xml() -> None:
        render_to_string("sitemap.xml", {"urlset": urls})

    rows = [
        (
            f"sitemap-{SITEMAP_SECTION}.xml page 1: the XML alone ({len(urls):,} <url>)",
            timed(shim_xml, repeat),
            timed(framework_xml, repeat),
        )
    ]

    def framework_page() -> None:
        response = sitemap_views.sitemap(
            request, sitemaps={SITEMAP_SECTION: twin}, section=SITEMAP_SECTION
        )
        response.render()

    path = f"/sitemap-{SITEMAP_SECTION}.xml"
    shim_miss, shim_hit = page_times(client, path, repeat)
    rows.append((f"{path} page cache off", shim_miss, timed(framework_page, repeat)))
    # Django's view behind the page cache would be served from it just the same: a hit never
    # reaches either writer.
    rows.append((f"{path} page cache on (hit)", shim_hit, shim_hit))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.DEBUG = False
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_shims"
    start = time.perf_counter()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("generate_fake_data", organizations=args.organizations, verbosity=0)
        print(
            f"# {args.organizations:,} generated organisations in {name} "
            f"(made in {time.perf_counter() - start:.0f} s); median of {args.repeat} runs, ms\n"
        )
        client = Client()
        rows = bench_sitemap(client, args.repeat)
        print(f"| {'what':<72} | {'shim':>8} | {'framework':>9} | {'saved':>7} |")
        print(f"|{'-' * 74}|{'-' * 10}|{'-' * 11}|{'-' * 9}|")
        for label, shim, framework in rows:
            print(f"| {label:<72} | {shim:>8.1f} | {framework:>9.1f} | {framework - shim:>7.1f} |")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
