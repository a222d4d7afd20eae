"""Spreadsheet import of activities (partnerships/imports.py ActivityResource): a dry run that
writes nothing, the agreement and the parties checked against the user's rights."""

from __future__ import annotations

import datetime

import pytest

from partnerships.imports import ActivityResource
from partnerships.models import Activity
from tests.personas import build_cast
from tests.spreadsheets import row_errors, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def activity_row(agreement, *parties, **values):
    return {
        "id": "",
        "agreement": agreement.slug,
        "kind": "matchmaking",
        "starts_on": "2026-02-10",
        "description_en": "Synthetic matchmaking day",
        "parties": ",".join(organization.slug for organization in parties),
        "companies": "14",
        "funding": "12000.50",
        "visibility": "public",
        **values,
    }


def test_a_manager_imports_an_activity_of_their_agreement(cast):
    agreement = cast.records["partnerships.agreement"]
    biom = cast.records["organizations"]["biom"]

    result = run_import(
        ActivityResource(), [activity_row(agreement, biom)], user=cast.users["anna_biom_manager"]
    )

    assert row_errors(result) == {}
    added = Activity.objects.get(description_en="Synthetic matchmaking day")
    assert (added.starts_on, added.companies) == (datetime.date(2026, 2, 10), 14)
    assert [p.organization for p in added.parties.all()] == [biom]


def test_the_dry_run_writes_nothing(cast):
    agreement = cast.records["partnerships.agreement"]

    result = run_import(
        ActivityResource(),
        [activity_row(agreement)],
        user=cast.users["anna_biom_manager"],
        dry_run=True,
    )

    assert row_errors(result) == {}
    assert not Activity.objects.filter(description_en="Synthetic matchmaking day").exists()


def test_a_stranger_cannot_import_into_an_agreement_he_is_no_party_to(cast):
    agreement = cast.records["partnerships.agreement"]

    result = run_import(
        ActivityResource(), [activity_row(agreement)], user=cast.users["stranger_manager"]
    )

    assert "agreement" in row_errors(result)[1]
    assert not Activity.objects.filter(description_en="Synthetic matchmaking day").exists()


def test_the_parties_must_be_the_agreement_s_and_include_one_s_own(cast):
    agreement = cast.records["partnerships.agreement"]
    organizations = cast.records["organizations"]
    rows = [
        activity_row(agreement, organizations["other"]),
        activity_row(agreement, organizations["biom"]),
    ]

    result = run_import(ActivityResource(), rows, user=cast.users["kenji_osaka_manager"])

    errors = row_errors(result)
    assert errors[1]["parties"] == [
        "Not a party to this agreement: " + organizations["other"].slug + "."
    ]
    assert "parties" in errors[2]  # BioM alone: Kenji could not edit it afterwards
    assert not Activity.objects.filter(description_en="Synthetic matchmaking day").exists()


def test_an_export_imports_again(cast):
    activity = cast.records["partnerships.activity"]
    exported = ActivityResource().export(queryset=Activity.objects.filter(pk=activity.pk))
    row = dict(zip(exported.headers, exported[0], strict=True))

    assert row["agreement"] == activity.agreement.slug
    assert row["parties"] == cast.records["organizations"]["biom"].slug
    result = run_import(ActivityResource(), [row], user=cast.users["anna_biom_manager"])
    assert row_errors(result) == {}
