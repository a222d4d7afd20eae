"""Search benchmark: median and 95th-percentile times of representative searches.

    .venv/bin/python bench/search.py                       # 1,000 / 10,000 / 100,000 organisations
    .venv/bin/python bench/search.py --sizes 1000 --repeat 10
    .venv/bin/python bench/search.py --keepdb              # reuse the data set of an earlier run

Works in its own database (``portal_bench`` on the same server; the embedded one unless
DATABASE_URL is set), grown with ``manage.py generate_fake_data`` to each size in turn, plus a few
real regions (Germany → Bavaria → Upper Bavaria → Munich/Martinsried, Japan → Osaka, Kansai) and
two organisations named like the demo data's, so that the issue's queries have their targets.

For each search it requests the real page through Django's test client and reports the page time,
the database time (sum of its SQL statements) and the search SQL time (the statements that search:
the count and the ranked page), median and p95, and the ratio of the p95 page time to the
unfiltered list's, then the EXPLAIN ANALYZE of the slowest statement with the indexes it uses.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CASES: list[tuple[str, str]] = [
    ("unfiltered list", "/en/organizations/"),
    ("Bayern", "/de/organizations/?q=Bayern"),
    ("Bavaria", "/en/organizations/?q=Bavaria"),
    ("バイエルン", "/ja/organizations/?q=バイエルン"),
    ("München", "/de/organizations/?q=München"),
    ("Munchen", "/en/organizations/?q=Munchen"),
    ("Muenchen", "/en/organizations/?q=Muenchen"),
    ("Munich", "/en/organizations/?q=Munich"),
    ("Osaka", "/en/organizations/?q=Osaka"),
    ("大阪 (2 chars)", "/ja/organizations/?q=大阪"),
    ("Kansai", "/en/organizations/?q=Kansai"),
    ("関西 (2 chars)", "/ja/organizations/?q=関西"),
    ("BioM", "/en/organizations/?q=BioM"),
    ("biom", "/en/organizations/?q=biom"),
    ("Osaka Bio Headquaters (typo)", "/en/organizations/?q=Osaka Bio Headquaters"),
    ("cluster (broad)", "/en/organizations/?q=cluster"),
    ("fake (matches all)", "/en/organizations/?q=fake"),
    ("cluster page 20 (broad)", "/en/organizations/?q=cluster&page=20"),
    ("region DE-BY", "/en/organizations/?region=DE-BY"),
    ("region JP", "/en/organizations/?region=JP"),
    ("region DE-BY + cluster", "/en/organizations/?region=DE-BY&q=cluster"),
    ("region JP-27 + 大阪", "/ja/organizations/?region=JP-27&q=大阪"),
    ("site search BioM", "/en/search/?q=BioM"),
    ("site search cluster", "/en/search/?q=cluster"),
    ("region suggest 'bay'", "/en/regions/suggest/?q=bay"),
]
EXPLAIN_CASES = {
    "unfiltered list",
    "BioM",
    "大阪 (2 chars)",
    "cluster (broad)",
    "region DE-BY + cluster",
    "Osaka Bio Headquaters (typo)",
}


def encode(url: str) -> str:
    path, _, query = url.partition("?")
    if not query:
        return path
    pairs = [pair.partition("=") for pair in query.split("&")]
    return path + "?" + "&".join(f"{k}={quote(v)}" for k, _, v in pairs)


def ensure_anchors() -> None:
    """Real regions and the two demo-named organisations (only the facts the demo records)."""
    from organizations.models import Organization, Region

    def region(slug, en, de, ja, kind, parent=None, **extra):
        obj, _ = Region.objects.get_or_create(
            slug=slug,
            defaults={"name_en": en, "name_de": de, "name_ja": ja, "kind": kind, "parent": parent}
            | extra,
        )
        return obj

    K = Region.Kind
    de = region("germany", "Germany", "Deutschland", "ドイツ", K.COUNTRY, iso_code="DE")
    by = region("bavaria", "Bavaria", "Bayern", "バイエルン", K.SUBDIVISION, de, iso_code="DE-BY")
    ob = region(
        "upper-bavaria", "Upper Bavaria", "Oberbayern", "オーバーバイエルン", K.DISTRICT, by
    )
    region("munich", "Munich", "München", "ミュンヘン", K.CITY, ob, aliases="Munchen, Muenchen")
    mr = region("martinsried", "Martinsried", "Martinsried", "マルティンスリート", K.CITY, ob)
    jp = region("japan", "Japan", "Japan", "日本", K.COUNTRY, iso_code="JP")
    osaka = region("osaka", "Osaka", "Osaka", "大阪府", K.SUBDIVISION, jp, iso_code="JP-27")
    kansai = region("kansai", "Kansai", "Kansai", "関西", K.MACRO_REGION, jp)
    kansai.members.add(osaka)
    Organization.objects.get_or_create(
        slug="biom",
        defaults={"name_en": "BioM Biotech Cluster Development", "short_name": "BioM",
                  "kind": Organization.Kind.CLUSTER, "region": mr},
    )  # fmt: skip
    Organization.objects.get_or_create(
        slug="osaka-bio-headquarters",
        defaults={"name_en": "Osaka Bio Headquarters", "name_ja": "大阪バイオ本部",
                  "kind": Organization.Kind.CLUSTER, "region": osaka},
    )  # fmt: skip


def grow_to(size: int) -> None:
    from organizations.models import Organization

    have = Organization.objects.filter(slug__startswith="fake-").count()
    if have < size:
        print(f"# generating {size - have} organisations (have {have})", flush=True)
        call_command("generate_fake_data", organizations=size - have, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(client: Client, url: str, repeat: int) -> dict:
    page_times: list[float] = []
    db_times: list[float] = []
    search_times: list[float] = []
    statements: list[int] = []
    status = None
    for i in range(repeat + 2):
        db = [0.0, 0, 0.0]

        def timer(execute, sql, params, many, context, db=db):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                elapsed = time.perf_counter() - start
                db[0] += elapsed
                db[1] += 1
                if SEARCH_SQL_RE.search(sql):
                    db[2] += elapsed

        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        status = response.status_code
        if i >= 2:  # two warm-up requests
            page_times.append(elapsed * 1000)
            db_times.append(db[0] * 1000)
            search_times.append(db[2] * 1000)
            statements.append(db[1])
    return {
        "status": status,
        "page_median": statistics.median(page_times),
        "page_p95": percentile(page_times, 95),
        "db_median": statistics.median(db_times),
        "db_p95": percentile(db_times, 95),
        "search_median": statistics.median(search_times),
        "search_p95": percentile(search_times, 95),
        "queries": max(statements),
    }


# Statements that search (the count and the ranked page), as opposed to the page's other work
# (filter choices, prefetching focus areas, resolving a region).
SEARCH_SQL_RE = re.compile(r"\bWHERE\b.*(?:search_(?:document|terms|names)|_document\()", re.S)
INDEX_RE = re.compile(
    r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using |on )(\S+)"
)


def explain(client: Client, url: str) -> tuple[str, list[str]]:
    """EXPLAIN ANALYZE of the slowest SELECT the page ran."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    selects = [
        q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    if not selects:
        return "", []
    slowest = max(selects, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan, sorted(set(INDEX_RE.findall(plan)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keepdb", action="store_true", help="keep and reuse portal_bench")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_test_environment()
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "portal_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "portal_bench"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    try:
        ensure_anchors()
        client = Client()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        print(f"# {version}, {os.cpu_count()} cores, {args.repeat} requests per search", end="")
        print(" after 2 warm-up requests")
        for size in sizes:
            grow_to(size)
            results = {name: measure(client, encode(url), args.repeat) for name, url in CASES}
            base = results["unfiltered list"]["page_p95"]
            print(f"\n## {size:,} organisations\n")
            print(
                "| search | page median ms | page p95 ms | DB median ms | DB p95 ms "
                "| search SQL median ms | search SQL p95 ms | p95 / unfiltered | SQL statements |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for name, _url in CASES:
                r = results[name]
                flag = "" if r["status"] == 200 else f" (HTTP {r['status']})"
                print(
                    f"| {name}{flag} | {r['page_median']:.1f} | {r['page_p95']:.1f} | "
                    f"{r['db_median']:.2f} | {r['db_p95']:.2f} | "
                    f"{r['search_median']:.2f} | {r['search_p95']:.2f} | "
                    f"{r['page_p95'] / base:.2f}× | {r['queries']} |"
                )
            sys.stdout.flush()
            if not args.no_explain and size == sizes[-1]:
                print("\n### EXPLAIN ANALYZE of the slowest statement per page", end="")
                print(f" ({size:,} organisations)\n")
                for name, url in CASES:
                    if name not in EXPLAIN_CASES:
                        continue
                    plan, indexes = explain(client, encode(url))
                    print(f"#### {name}: indexes used: {', '.join(indexes) or 'none'}\n")
                    print("```\n" + plan + "\n```\n")
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()
