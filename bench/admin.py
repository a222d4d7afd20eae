"""The admin at the benchmark's size, as a cluster manager and as an administrator (issue 24).

    make bench-admin                                    # after make bench-data (bench/README.md)
    .venv/bin/python bench/admin.py --repeat 30

In process, on the benchmark's own database (``var/bench-pgdata``, 100,000 generated
organisations and 20,000 agreements, ``make bench-data``), with Django's test client through the
full middleware and the bench settings (production, DEBUG off). Two staff accounts are made
once (idempotent): **bench_manager**, a cluster manager of the generated organisation with the
most agreements, and **bench_administrator**, a portal administrator; and one realistic
agreement of that organisation, as a manager edits it: three parties, two signings with six
signatories, four documents, a statement, two contacts, two focus areas (a draft: the public
pages do not show it). Each page: 2 warm-up requests, then ``--repeat`` timed ones; median,
95th percentile (nearest rank), SQL queries, bytes. The figures are the server's own time per
request, without HTTP; compare them with the issue's targets (changelists p95 ≤ 150 ms, the
agreement page ≤ 250 ms, autocomplete ≤ 50 ms, the dashboard ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench-admin-results.md"
MANAGER = "bench_manager"
ADMINISTRATOR = "bench_administrator"
REALISTIC_SLUG = "bench-realistic-agreement"


def percentile(values: list[float], pct: float) -> float:
    from bench.run import percentile as nearest_rank

    return nearest_rank(values, pct)


def ensure_cast() -> dict[str, Any]:
    """The two accounts and the realistic agreement (made once, then found)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from core.access import ADMINISTRATORS_GROUP, MANAGERS_GROUP
    from organizations.models import Affiliation, ClusterManager, FocusArea, Organization
    from partnerships.models import (
        Agreement,
        AgreementContact,
        AgreementParty,
        Document,
        Signature,
        SigningEvent,
        Statement,
    )
    from portal.roles import setup_roles

    setup_roles()
    User = get_user_model()
    manager, _ = User.objects.get_or_create(username=MANAGER, defaults={"is_staff": True})
    administrator, _ = User.objects.get_or_create(
        username=ADMINISTRATOR, defaults={"is_staff": True}
    )
    manager.groups.set([Group.objects.get(name=MANAGERS_GROUP)])
    administrator.groups.set([Group.objects.get(name=ADMINISTRATORS_GROUP)])
    managed = ClusterManager.objects.filter(user=manager).first()
    if managed is None:
        organization = (
            Organization.objects.filter(slug__startswith="fake-")
            .annotate(agreements=Count("agreement_parties"))
            .order_by("-agreements", "pk")
            .first()
        )
        assert organization is not None, "make bench-data first"
        ClusterManager.objects.create(user=manager, organization=organization)
    else:
        organization = managed.organization
    agreement = Agreement.objects.filter(slug=REALISTIC_SLUG).first()
    if agreement is None:
        partners = list(
            Organization.objects.filter(slug__startswith="fake-")
            .exclude(pk=organization.pk)
            .order_by("pk")[:2]
        )
        agreement = Agreement.objects.create(
            title="Benchmark: a realistic agreement",
            slug=REALISTIC_SLUG,
            kind=Agreement.Kind.COOPERATION,
            state=Agreement.State.CONCLUDED,
            signed_on=datetime.date(2024, 5, 2),
            term=Agreement.Term.OPEN_ENDED,
            publication=Agreement.Publication.DRAFT,
        )
        parties = [
            AgreementParty.objects.create(agreement=agreement, organization=party, position=n)
            for n, party in enumerate([organization, *partners])
        ]
        affiliations = list(
            Affiliation.objects.filter(organization__in=[p.organization for p in parties])
            .select_related("person")
            .order_by("pk")[:6]
        )
        people = [a.person for a in affiliations]
        from organizations.models import Person

        people += list(Person.objects.exclude(pk__in=[p.pk for p in people])[: 6 - len(people)])
        for number in range(2):
            signing = SigningEvent.objects.create(
                agreement=agreement, signed_on=datetime.date(2024, 5, 2 + number)
            )
            for person in people[number * 3 : number * 3 + 3]:
                Signature.objects.create(
                    signing_event=signing, person=person, party=parties[number % len(parties)]
                )
        for number in range(4):
            Document.objects.create(
                agreement=agreement,
                kind=Document.Kind.PRESS_RELEASE,
                title=f"Benchmark press release {number + 1}",
                url=f"https://example.org/bench/{number + 1}",
            )
        Statement.objects.create(agreement=agreement, person=people[0], text="A benchmark quote.")
        for affiliation in affiliations[:2]:
            party = next(p for p in parties if p.organization_id == affiliation.organization_id)
            AgreementContact.objects.create(
                agreement=agreement, party=party, affiliation=affiliation
            )
        agreement.focus_areas.set(FocusArea.objects.order_by("pk")[:2])
    return {
        "manager": manager,
        "administrator": administrator,
        "organization": organization,
        "agreement": agreement,
    }


def admin_pages(cast: dict[str, Any]) -> list[tuple[str, str]]:
    from django.urls import reverse

    agreement = cast["agreement"]

    def autocomplete(app: str, model: str, field: str, term: str) -> str:
        return (
            f"{reverse('admin:autocomplete')}?app_label={app}&model_name={model}"
            f"&field_name={field}&term={term}"
        )

    return [
        ("dashboard", reverse("admin:index")),
        ("agreements", reverse("admin:partnerships_agreement_changelist")),
        ("agreements, searched", reverse("admin:partnerships_agreement_changelist") + "?q=fake"),
        (
            "agreements, filtered by year",
            reverse("admin:partnerships_agreement_changelist") + "?year=2023",
        ),
        ("organisations", reverse("admin:organizations_organization_changelist")),
        (
            "organisations, searched",
            reverse("admin:organizations_organization_changelist") + "?q=cluster",
        ),
        ("people", reverse("admin:organizations_person_changelist")),
        ("people, searched", reverse("admin:organizations_person_changelist") + "?q=fake"),
        (
            "agreement page (3 parties, 2 signings, 6 signatories, 4 documents)",
            reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
        ),
        (
            "agreement history",
            reverse("admin:partnerships_agreement_history", args=[agreement.pk]),
        ),
        # Issue 21: the dormant report (the rows' health as subqueries), its download, the
        # activities' list and "Add activity" on the realistic agreement.
        ("dormant report", reverse("admin:partnerships_activity_dormant")),
        ("dormant report, mine", reverse("admin:partnerships_activity_dormant") + "?mine=on"),
        (
            "dormant report, mine, CSV",
            reverse("admin:partnerships_activity_dormant") + "?mine=on&format=csv",
        ),
        ("activities", reverse("admin:partnerships_activity_changelist")),
        (
            "activities, searched",
            reverse("admin:partnerships_activity_changelist") + "?q=fake",
        ),
        (
            "add activity (agreement chosen)",
            reverse("admin:partnerships_activity_add") + f"?agreement={agreement.pk}",
        ),
        (
            "autocomplete, party organisation",
            autocomplete("partnerships", "agreementparty", "organization", "clust"),
        ),
        (
            "autocomplete, signatory",
            autocomplete("partnerships", "signature", "person", "fake"),
        ),
        (
            "autocomplete, builds on (agreement)",
            autocomplete("partnerships", "agreement", "previous", "fake"),
        ),
        (
            "autocomplete, region",
            autocomplete("organizations", "organization", "region", "bay"),
        ),
    ]


def signed_in(user: Any) -> Any:
    """A test client signed in as ``user``, with the second factor passed (an administrator's
    is required: a confirmed authenticator app, verified in the session as at login)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark app", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def slowest_queries(client: Any, path: str, count: int = 5) -> list[tuple[float, str]]:
    """The ``count`` slowest SQL statements of one request (for the profile notes)."""
    from django.db import connection

    timed: list[tuple[float, str]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - start) * 1000, sql))

    with connection.execute_wrapper(timer):
        client.get(path)
    return sorted(timed, reverse=True)[:count]


def measure(client: Any, path: str, repeat: int) -> tuple[list[float], int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(path)
    times = []
    queries = size = status = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            content = response.content
            times.append((time.perf_counter() - start) * 1000)
        queries, size, status = len(captured), len(content), response.status_code
    return times, queries, size, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--who", default="manager,administrator", help="manager,administrator")
    parser.add_argument("--sql", action="store_true", help="print each page's slowest queries")
    parser.add_argument(
        "--database",
        default="",
        help="another database of the bench server (a branch with migrations: a copy, CREATE "
        "DATABASE bench_x TEMPLATE portal; bench/README.md)",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.database import database_url
    from bench.run import machine, prepare_environment

    url = database_url()
    if args.database:
        url = f"{url.rsplit('/', 1)[0]}/{args.database}"
    prepare_environment(url)
    import django

    django.setup()
    from django.core.management import call_command

    from organizations.models import Organization
    from partnerships.models import Agreement

    call_command("migrate", verbosity=0, interactive=False)
    cast = ensure_cast()
    from portal.memory import freeze_long_lived_objects

    freeze_long_lived_objects()  # as the server's workers do (portal/wsgi.py)
    before = machine()
    lines = [
        f"Run: {Organization.objects.count():,} organisations, {Agreement.objects.count():,} "
        f"agreements; in process (Django's test client, bench settings: production, DEBUG off); "
        f"{args.repeat} requests per page after 2 warm-up requests.",
        f"Machine: {before} (before); " + "{after} (after).",
        "",
        "| page | who | median ms | p95 ms | SQL queries | bytes | status |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for who in args.who.split(","):
        client = signed_in(cast[who])
        for name, path in admin_pages(cast):
            if args.only and args.only not in name:
                continue
            times, queries, size, status = measure(client, path, args.repeat)
            row = (
                f"| {name} | {who} | {statistics.median(times):.1f} | "
                f"{percentile(times, 95):.1f} | {queries} | {size:,} | {status} |"
            )
            print(row, flush=True)
            lines.append(row)
            if args.sql:
                for ms, sql in slowest_queries(client, path):
                    print(f"    {ms:8.1f} ms  {sql[:400]}")
    text = "\n".join(lines).replace("{after}", machine()) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"(written to {RESULTS.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
