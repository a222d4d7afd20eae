"""The admin report "Dormant and at-risk partnerships" (partnerships/reports.py): what it lists
for whom, its filters, and its CSV and XLSX downloads read back cell by cell."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.personas import build_cast

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("admin:partnerships_activity_dormant")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 14, 9, 0), tick=False):
        yield


@pytest.fixture
def cast():
    cast = build_cast()
    organizations = cast.records["organizations"]
    for title, fields in (
        ("Synthetic dormant", {}),
        ("Synthetic healthy", {}),
        ("Synthetic at risk", {}),
        ("Synthetic ending soon", {"term": "fixed", "valid_until": D(2026, 6, 30)}),
    ):
        agreement = factories.AgreementFactory(title=title, **fields)
        factories.AgreementPartyFactory(agreement=agreement, organization=organizations["biom"])
        cast.records[title] = agreement
    healthy = factories.ActivityFactory(
        agreement=cast.records["Synthetic healthy"], starts_on=D(2026, 1, 10)
    )
    healthy.commitments.set([factories.CommitmentFactory(agreement=healthy.agreement)])
    at_risk = cast.records["Synthetic at risk"]
    factories.CommitmentFactory(agreement=at_risk)
    factories.ActivityFactory(agreement=at_risk, starts_on=D(2025, 12, 1), companies=4)
    # The stranger's own dormant agreement.
    stranger = factories.AgreementFactory(title="Stranger's dormant", publication="draft")
    factories.AgreementPartyFactory(agreement=stranger, organization=organizations["other"])
    return cast


def titles(response) -> list[str]:
    return [row.agreement.title for row in response.context["rows"]]


def test_anna_sees_her_dormant_and_at_risk_agreements_not_the_healthy_one(client, cast):
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(URL, {"mine": "on"})

    assert titles(response) == [
        "Synthetic dormant",
        "Synthetic ending soon",
        "Synthetic at risk",
    ]


def test_the_stranger_does_not_see_biom_s_unpublished_agreements(client, cast):
    client.force_login(cast.users["stranger_manager"])

    response = client.get(URL)

    assert "BioM–Osaka draft" not in titles(response)
    assert "Stranger's dormant" in titles(response)


def test_ending_within_keeps_the_agreements_ending_in_that_many_months(client, cast):
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(URL, {"ending_within": "6"})

    assert titles(response) == ["Synthetic ending soon"]


def test_the_region_filter_keeps_agreements_with_a_party_there(client, cast):
    osaka = cast.records["organizations"]["osaka"]
    agreement = factories.AgreementFactory(title="Synthetic Osaka dormant")
    factories.AgreementPartyFactory(agreement=agreement, organization=osaka)
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(URL, {"region": osaka.region.slug})

    assert titles(response) == ["Synthetic Osaka dormant"]


def test_the_csv_download_holds_the_same_rows(client, cast):
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(URL, {"mine": "on", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "agreement"
    assert [row[0] for row in rows[1:]][-1] == "Synthetic at risk"
    assert rows[-1][4:] == ["2025-12-01", "1", "1", "0", "At risk"]


def test_the_xlsx_download_has_real_dates_and_numbers(client, cast):
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(URL, {"mine": "on", "format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Dormant and at-risk"
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "Synthetic at risk"
    assert last[4] == datetime.datetime(2025, 12, 1)  # a date cell, not text
    assert last[5:8] == [1, 1, 0]
    ending = [cell.value for cell in sheet[3]]
    assert ending[0] == "Synthetic ending soon"
    assert ending[3] == datetime.datetime(2026, 6, 30)


def test_the_report_takes_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    client.force_login(cast.users["anna_biom_manager"])
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"mine": "on"})
    for number in range(20):
        agreement = factories.AgreementFactory(title=f"More dormant {number}")
        factories.AgreementPartyFactory(
            agreement=agreement, organization=cast.records["organizations"]["biom"]
        )

    # session, user, 2FA devices, permissions, groups, managed organisations, the rows with
    # their health (subqueries), their parties, the session's renewal (3: a savepoint around
    # one UPDATE) — none per row.
    # + 1 since the merge with issues 19, 22, 23 and 24 (not traced to one of them); still the
    # same count for 4 rows or 23 (the test below).
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"mine": "on"})

    assert len(response.context["rows"]) == 23
    assert len(few) == 13
