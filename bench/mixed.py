"""Mixed reads and writes against the page cache: its hit rate while agreements are edited.

    make bench-mixed                                   # after make bench-data (bench/README.md)
    .venv/bin/python bench/mixed.py --seconds 60 --urls 1000 --writes-per-second 1

In process, on the benchmark's own database (``var/bench-pgdata``), with Django's test client
through the full middleware, the bench settings (production, DEBUG off) and the page cache on
(this process's memory, large enough for every page). The URLs: published agreements' pages and
their parties' organisation pages (45 % each), region pages (5 %), and list pages of agreements
and organisations (5 %). Every URL is requested once (the cache filled), then for ``--seconds``
anonymous visitors ask for URLs at random while one agreement a second has its title edited
(a committed write, as an editor's, through the ORM; the same title back on the next run). The
figure: the share of requests answered from the cache (target of issue 24: ≥ 90 %; with one
content generation for everything it was about 0 % after each write).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench-mixed-results.md"
EDIT_MARK = " (edited)"


def choose_urls(count: int, rng: random.Random) -> tuple[list[str], list[int]]:
    """``count`` URLs of the mix (module docstring) and the ids of the agreements to edit."""
    from django.urls import reverse

    from organizations.models import Organization, Region
    from partnerships.models import Agreement, AgreementParty

    agreements = list(
        Agreement.objects.published().order_by("?").values_list("pk", "slug")[: count * 45 // 100]
    )
    organization_ids = (
        AgreementParty.objects.filter(agreement__in=[pk for pk, _ in agreements])
        .values_list("organization_id", flat=True)
        .distinct()
    )
    organizations = list(
        Organization.objects.filter(pk__in=organization_ids).values_list("slug", flat=True)[
            : count * 45 // 100
        ]
    )
    regions = list(
        Region.objects.filter(organizations__isnull=False)
        .distinct()
        .values_list("slug", flat=True)[: count * 5 // 100]
    )
    urls = [reverse("partnerships:agreement_detail", args=[slug]) for _, slug in agreements]
    urls += [reverse("partnerships:organization_detail", args=[slug]) for slug in organizations]
    urls += [reverse("partnerships:region_detail", args=[slug]) for slug in regions]
    lists = count - len(urls)
    urls += [f"{reverse('partnerships:agreement_list')}?page={n + 1}" for n in range(lists // 2)]
    urls += [
        f"{reverse('organizations:organization_list')}?page={n + 1}"
        for n in range(lists - lists // 2)
    ]
    rng.shuffle(urls)
    return [f"/en{url}" if not url.startswith("/en/") else url for url in urls], [
        pk for pk, _ in agreements
    ]


def edit(agreement_id: int) -> None:
    """One editor's change: the agreement's title, committed (the triggers run at commit)."""
    from django.db import transaction

    from partnerships.models import Agreement

    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
        if agreement.title.endswith(EDIT_MARK):
            agreement.title = agreement.title.removesuffix(EDIT_MARK)
        else:
            agreement.title += EDIT_MARK
        agreement.save(update_fields=["title", "title_en"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writes-per-second", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.database import database_url
    from bench.run import machine, prepare_environment

    prepare_environment(database_url())
    os.environ["PORTAL_PAGE_CACHE"] = "true"
    os.environ["PORTAL_LOCMEM_MAX_ENTRIES"] = str(20 * args.urls)  # every page fits
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)  # and the triggers after it

    rng = random.Random(args.seed)  # noqa: S311 - a reproducible sample, not a secret
    urls, agreement_ids = choose_urls(args.urls, rng)
    cache.clear()
    client = Client(HTTP_HOST="localhost")
    before = machine()
    started = time.perf_counter()
    for url in urls:  # fill the cache
        client.get(url)
    print(f"{len(urls)} URLs requested once in {time.perf_counter() - started:.0f} s", flush=True)

    hits = misses = writes = 0
    miss_ms: list[float] = []
    hit_ms: list[float] = []
    interval = 1 / args.writes_per_second if args.writes_per_second else float("inf")
    started = time.perf_counter()
    next_write = started + interval
    while (now := time.perf_counter()) - started < args.seconds:
        if now >= next_write:
            edit(rng.choice(agreement_ids))
            writes += 1
            next_write += interval
        url = rng.choice(urls)
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - t0) * 1000
        if response.get("X-Cache") == "hit":
            hits += 1
            hit_ms.append(elapsed)
        else:
            misses += 1
            miss_ms.append(elapsed)
    duration = time.perf_counter() - started
    reads = hits + misses
    from bench.run import percentile

    text = "\n".join(
        [
            f"Run: {len(urls)} URLs (agreement pages, their parties' organisation pages, region "
            f"pages, list pages), {args.writes_per_second:g} agreement edit per second, "
            f"{duration:.0f} s, in process with the page cache on.",
            f"Machine: {before} (before); {machine()} (after).",
            "",
            "| reads | reads/s | writes | hit rate | hit p95 ms | miss p95 ms |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {reads:,} | {reads / duration:,.1f} | {writes} "
            f"| {100 * hits / max(reads, 1):.1f} % "
            f"| {percentile(hit_ms, 95):.1f} | {percentile(miss_ms, 95):.1f} |",
        ]
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")
    print()
    print(text)
    print(f"(written to {RESULTS.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
