"""The API's commitments and public activities (portal/api/activities.py): public rows only,
their results, modified_since, and deletions or activities made private in /changes/."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.portal.test_api import API, get_json


@pytest.fixture
def agreement(db):
    return factories.AgreementFactory(title="Synthetic API agreement")


def test_the_list_holds_public_activities_of_published_agreements_only(client, agreement):
    shown = factories.ActivityFactory(agreement=agreement, companies=4, funding=Decimal("2500"))
    factories.ActivityFactory(agreement=agreement, visibility="partners")
    factories.ActivityFactory(
        agreement=factories.AgreementFactory(publication="draft", state="draft", signed_on=None)
    )

    _, body = get_json(client, f"{API}/activities/", {})

    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert body["results"][0]["results"] == {
        "companies": 4,
        "meetings": None,
        "introductions": None,
        "projects": None,
        "funding": 2500.0,
    }


def test_an_activity_lists_its_commitments_and_organisations(client, agreement):
    party = factories.AgreementPartyFactory(agreement=agreement)
    commitment = factories.CommitmentFactory(agreement=agreement)
    activity = factories.ActivityFactory(agreement=agreement)
    activity.parties.set([party])
    activity.commitments.set([commitment])

    _, body = get_json(client, f"{API}/activities/{activity.pk}/", {"lang": "all"})

    assert body["organizations"] == [party.organization_id]
    assert body["commitments"] == [commitment.pk]
    assert body["translations"]["description"]["en"] == activity.description_en


def test_commitments_of_published_agreements_only(client, agreement):
    shown = factories.CommitmentFactory(agreement=agreement)
    factories.CommitmentFactory(
        agreement=factories.AgreementFactory(publication="draft", state="draft", signed_on=None)
    )

    _, body = get_json(client, f"{API}/commitments/", {"agreement": agreement.pk})

    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert body["results"][0]["responsible"] == []


def test_an_activity_made_private_or_deleted_is_listed_as_removed(client, transactional_db):
    agreement = factories.AgreementFactory()
    private = factories.ActivityFactory(agreement=agreement)
    deleted = factories.ActivityFactory(agreement=agreement)
    kept = factories.ActivityFactory(agreement=agreement)
    since = timezone.now()
    private.visibility = "partners"
    private.save()
    deleted_id = deleted.pk
    deleted.delete()
    kept.place = "Munich"
    kept.save()

    _, body = get_json(client, f"{API}/changes/", {"since": since.isoformat()})
    _, changed = get_json(client, f"{API}/activities/", {"modified_since": since.isoformat()})

    assert body["removed"]["activities"] == sorted([private.pk, deleted_id])
    assert [row["id"] for row in changed["results"]] == [kept.pk]


def test_a_date_filter_keeps_the_activities_of_a_period(client, agreement):
    factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2024, 5, 1))
    kept = factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 5, 1))

    _, body = get_json(client, f"{API}/activities/", {"since": "2025-01-01", "until": "2025-12-31"})

    assert [row["id"] for row in body["results"]] == [kept.pk]


def test_an_activity_whose_parties_or_commitments_changed_counts_as_modified(
    client, transactional_db
):
    agreement = factories.AgreementFactory()
    party = factories.AgreementPartyFactory(agreement=agreement)
    commitment = factories.CommitmentFactory(agreement=agreement)
    joined = factories.ActivityFactory(agreement=agreement)
    unlinked = factories.ActivityFactory(agreement=agreement)
    unlinked.commitments.set([commitment])
    factories.ActivityFactory(agreement=agreement)  # untouched
    since = timezone.now()

    joined.parties.add(party)  # only the link tables change, not the activities' rows
    unlinked.commitments.remove(commitment)

    _, changed = get_json(client, f"{API}/activities/", {"modified_since": since.isoformat()})
    assert [row["id"] for row in changed["results"]] == sorted([joined.pk, unlinked.pk])


def test_a_commitment_whose_responsible_parties_changed_counts_as_modified(
    client, transactional_db
):
    agreement = factories.AgreementFactory()
    party = factories.AgreementPartyFactory(agreement=agreement)
    changed_one = factories.CommitmentFactory(agreement=agreement)
    factories.CommitmentFactory(agreement=agreement)  # untouched
    since = timezone.now()

    changed_one.responsible_parties.add(party)

    _, changed = get_json(client, f"{API}/commitments/", {"modified_since": since.isoformat()})
    assert [row["id"] for row in changed["results"]] == [changed_one.pk]
