"""The pages of the life of an agreement (issue 21) cost what they show, not what the database
holds: the same number of queries (and, for the public pages, the same bytes) with few and with
many unrelated rows, and the same number of queries with more related rows than they show.

The world: BioM (Anna's, tests/personas.py) in Life State (Lifeland) and its partner Osaka in
Partnerland, with one agreement in each of the funders' report's lists — new with activities
and commitments, a renewal and the one it renews, ended, dormant — so that every list and
prefetch of every page already runs. Then

- **unrelated rows** (``UNRELATED`` organisations elsewhere, each party to an agreement with
  ``ACTIVITIES_EACH`` activities, commitments and links, and the stranger's dormant ones): no
  page of BioM's, Life State's or the pair's may read or show more;
- **related rows** past every cap (``RELATED`` more BioM–Osaka agreements, all dormant, and
  ``RELATED_ACTIVITIES`` more activities on the timeline's agreement): twice that many must
  cost the same queries again (lists cut at ``funders.LIST_ROWS``, ``timeline.TIMELINE_SHOWN``,
  the dormant report's ``reports.PAGE_ROWS``, the admin's pages of 100).

The sizes and query budgets of each page at the crowd's size are in tests/test_page_budgets.py
and tests/test_admin_budgets.py; this module proves they do not move with the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization
from partnerships import funders, maps, reports, timeline
from partnerships.models import Activity, Agreement, AgreementParty, Commitment
from partnerships.views import PARTNERS_SHOWN
from tests import factories
from tests.personas import build_cast

D = datetime.date
KB = 1024
UNRELATED = 40
ACTIVITIES_EACH = 6
RELATED = {  # past the report's lists, the pages' partners and map arcs; the dormant report's
    "anonymous, reports": funders.LIST_ROWS + 5,
    "anonymous, pages": max(timeline.TIMELINE_SHOWN, PARTNERS_SHOWN, maps.MAX_ARCS) + 5,
    "anna_biom_manager": reports.PAGE_ROWS + 5,
    "admin_administrator": reports.PAGE_ROWS + 5,
}
RELATED_ACTIVITIES = timeline.TIMELINE_SHOWN + 10
PERIOD = "2021-2025"
PUBLIC_HTML_BYTES = 80 * KB  # the crowd's budget (test_page_budgets.py) with room

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 14, 9, 0), tick=False):
        yield


def _agreement(title: str, *parties: Organization, **fields: Any) -> Agreement:
    agreement = factories.AgreementFactory(title=title, **fields)
    for position, organization in enumerate(parties):
        factories.AgreementPartyFactory(
            agreement=agreement, organization=organization, position=position
        )
    return agreement


def _activities(agreement: Agreement, count: int, *, first: int = 0) -> None:
    """``count`` public activities on ``agreement`` in 2023–2025, each linked to its first party
    and its first commitment (bulk: the link rows too)."""
    party = AgreementParty.objects.filter(agreement=agreement).order_by("pk").first()
    commitment = Commitment.objects.filter(agreement=agreement).order_by("pk").first()
    made = Activity.objects.bulk_create(
        Activity(
            agreement=agreement,
            kind=Activity.Kind.values[(first + n) % len(Activity.Kind.values)],
            starts_on=D(2023 + (first + n) % 3, 1 + (first + n) % 12, 1 + n % 28),
            description=f"Life webinar {first + n} " + "on market entry " * 5,
            companies=n % 7,
            visibility=Activity.Visibility.PUBLIC,
        )
        for n in range(count)
    )
    if party is not None:
        Activity.parties.through.objects.bulk_create(
            Activity.parties.through(activity=activity, agreementparty=party) for activity in made
        )
    if commitment is not None:
        Activity.commitments.through.objects.bulk_create(
            Activity.commitments.through(activity=activity, commitment=commitment)
            for activity in made
        )


@pytest.fixture
def world() -> dict[str, Any]:
    cast = build_cast()
    organizations = cast.records["organizations"]
    biom, osaka = organizations["biom"], organizations["osaka"]
    lifeland = factories.RegionFactory(name="Lifeland", slug="lifeland")
    state = factories.SubdivisionFactory(name="Life State", slug="life-state", parent=lifeland)
    partnerland = factories.RegionFactory(name="Partnerland", slug="partnerland")
    Organization.objects.filter(pk=biom.pk).update(region=state)
    Organization.objects.filter(pk=osaka.pk).update(region=partnerland)
    biom.refresh_from_db()

    active = _agreement("Life new agreement", biom, osaka, signed_on=D(2022, 4, 1))
    factories.CommitmentFactory(agreement=active)
    _activities(active, 4)
    factories.ActivityFactory(agreement=active, visibility="partners")
    older = _agreement("Life first agreement", biom, osaka, signed_on=D(2016, 1, 1))
    _agreement(
        "Life renewal",
        biom,
        osaka,
        signed_on=D(2023, 6, 1),
        previous=older,
        lineage="renews",
    )
    _agreement(
        "Life ended", biom, osaka, signed_on=D(2019, 1, 1), term="fixed", valid_until=D(2024, 6, 30)
    )
    _agreement("Life dormant", biom, osaka, signed_on=D(2017, 3, 1))
    return {"cast": cast, "biom": biom, "osaka": osaka, "agreement": active}


def add_unrelated(world: dict[str, Any]) -> None:
    """Organisations elsewhere with agreements, commitments and activities; the stranger's
    dormant agreements (an administrator sees them in the dormant report: shown, capped)."""
    elsewhere = factories.SubdivisionFactory(name="Elsewhere", slug="elsewhere")
    crowd = Organization.objects.bulk_create(
        Organization(name=f"Unrelated {i}", slug=f"unrelated-{i}", kind="cluster", region=elsewhere)
        for i in range(UNRELATED)
    )
    other = world["cast"].records["organizations"]["other"]
    for i, organization in enumerate(crowd):
        agreement = _agreement(
            f"Unrelated agreement {i}",
            organization,
            crowd[(i + 1) % UNRELATED],
            signed_on=D(2021 + i % 5, 1 + i % 12, 1),
        )
        factories.CommitmentFactory(agreement=agreement)
        _activities(agreement, ACTIVITIES_EACH, first=i)
        _agreement(f"Stranger dormant {i}", other, organization, signed_on=D(2015, 1, 1))


def add_related(world: dict[str, Any], count: int) -> None:
    """``count`` more BioM–Osaka agreements (dormant: nothing recorded; bulk) and ``count`` + the
    timeline's cap more activities on the timeline's agreement."""
    made = Agreement.objects.bulk_create(
        Agreement(
            title=f"Life more {count}-{i}",
            slug=f"life-more-{count}-{i}",
            kind=Agreement.Kind.COOPERATION,
            state=Agreement.State.CONCLUDED,
            signed_on=D(2022, 1, 1) + datetime.timedelta(days=i),
            term=Agreement.Term.OPEN_ENDED,
            publication=Agreement.Publication.PUBLISHED,
        )
        for i in range(count)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organization=organization, position=position)
        for agreement in made
        for position, organization in enumerate((world["biom"], world["osaka"]))
    )
    _activities(world["agreement"], count + RELATED_ACTIVITIES, first=count)


def public_pages(world: dict[str, Any]) -> dict[str, str]:
    org = {"slug": world["biom"].slug, "period": PERIOD}
    report = reverse("partnerships:organization_report", kwargs=org)
    return {
        "agreement page (timeline)": world["agreement"].get_absolute_url(),
        "organisation report": report,
        "region report": reverse(
            "partnerships:region_report", kwargs={"slug": "life-state", "period": PERIOD}
        ),
        "region pair report": reverse(
            "partnerships:region_pair_report",
            kwargs={"slug": "lifeland", "other_slug": "partnerland", "period": PERIOD},
        ),
        "organisation report, XLSX": report + "?format=xlsx",
        "organisation report, PDF": report + "?format=pdf",
        "organisation page (recent activities)": world["biom"].get_absolute_url(),
        "region pair page (recent activities)": reverse(
            "partnerships:region_pair", kwargs={"slug": "lifeland", "other_slug": "partnerland"}
        ),
    }


def admin_pages(world: dict[str, Any]) -> dict[str, str]:
    dormant = reverse("admin:partnerships_activity_dormant")
    activities = reverse("admin:partnerships_activity_changelist")
    agreement = world["agreement"]
    activity = Activity.objects.filter(agreement=agreement).order_by("pk").first()
    assert activity is not None
    return {
        "dormant report": dormant,
        "dormant report, mine": dormant + "?mine=on",
        "dormant report, a region": dormant + "?region=life-state",
        "dormant report, CSV": dormant + "?format=csv",
        "dormant report, XLSX": dormant + "?format=xlsx",
        "activities": activities,
        "activities of an agreement": activities + f"?agreement__id__exact={agreement.pk}",
        "add activity": reverse("admin:partnerships_activity_add") + f"?agreement={agreement.pk}",
        "activity": reverse("admin:partnerships_activity_change", args=[activity.pk]),
    }


def measure(client: Client, pages: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Page → (queries, bytes) of a warm request (the first warms the session and caches)."""
    figures = {}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        figures[name] = (len(queries), len(response.content))
    return figures


def queries_only(figures: dict[str, tuple[int, int]]) -> dict[str, int]:
    return {name: count for name, (count, _size) in figures.items()}


def signed_in(world: dict[str, Any], persona: str) -> Client:
    client = Client()
    client.force_login(world["cast"].users[persona])
    return client


def _public(kind: str) -> Callable[[dict[str, Any]], tuple[Client, dict[str, str]]]:
    def make(world: dict[str, Any]) -> tuple[Client, dict[str, str]]:
        pages = public_pages(world)
        return Client(), {n: url for n, url in pages.items() if ("report" in n) == (kind == "r")}

    return make


# Who looks (each a test of its own, to keep each test short): the public reports and their
# downloads, the public pages with activities, the admin as a manager and as an administrator.
VIEWERS: dict[str, Callable[[dict[str, Any]], tuple[Client, dict[str, str]]]] = {
    "anonymous, reports": _public("r"),
    "anonymous, pages": _public("p"),
    "anna_biom_manager": lambda world: (
        signed_in(world, "anna_biom_manager"),
        admin_pages(world),
    ),
    "admin_administrator": lambda world: (
        signed_in(world, "admin_administrator"),
        admin_pages(world),
    ),
}


def analyze() -> None:
    """Fresh statistics, as production keeps them: the counts are the subject here, not the
    plans PostgreSQL makes for tables it has never measured."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE organizations_organization, partnerships_agreement, "
            "partnerships_agreementparty, partnerships_activity, partnerships_commitment, "
            "partnerships_activity_parties, partnerships_activity_commitments"
        )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_unrelated_rows_change_no_page_s_queries_nor_public_bytes(world, viewer):
    client, pages = VIEWERS[viewer](world)
    before = measure(client, pages)

    add_unrelated(world)
    analyze()

    after = measure(client, pages)
    assert queries_only(after) == queries_only(before)
    if viewer.startswith("anonymous"):  # the same HTML to the byte (the downloads carry a time)
        html = [name for name in pages if "XLSX" not in name and "PDF" not in name]
        assert {name: after[name][1] for name in html} == {name: before[name][1] for name in html}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_more_related_rows_than_shown_cost_no_more_queries(world, viewer):
    add_related(world, RELATED[viewer])
    analyze()
    client, pages = VIEWERS[viewer](world)
    before = measure(client, pages)

    add_related(world, 2 * RELATED[viewer])
    analyze()

    after = measure(client, pages)
    assert queries_only(after) == queries_only(before)
    if viewer.startswith("anonymous"):
        for name, (_count, size) in after.items():
            if "XLSX" not in name and "PDF" not in name:
                assert size <= PUBLIC_HTML_BYTES, (name, size)


def test_the_related_rows_exceed_what_the_pages_show(client, world):
    """The second test means something only if the lists are cut."""
    add_related(world, RELATED["admin_administrator"])
    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse(PERIOD)
    )
    years, total = timeline.agreement_timeline(world["agreement"])

    assert report.in_force.count > len(report.in_force.rows) == funders.LIST_ROWS
    assert report.dormant.count > len(report.dormant.rows) == funders.LIST_ROWS
    assert total > sum(len(year.activities) for year in years) == timeline.TIMELINE_SHOWN
    assert RELATED["admin_administrator"] > reports.PAGE_ROWS  # the dormant report's page too
