"""The health rule (partnerships/health.py) at its boundaries, on a frozen clock: an agreement
that started 2015 is dormant when its last activity is more than 12 months old, and active
when it is exactly 12 months old."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings

from partnerships import health
from partnerships.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 14)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 14, 9, 0), tick=False):
        yield


def _agreement(**kwargs):
    return factories.AgreementFactory(**kwargs)


def _health(agreement):
    return health.health_for(agreement)


def test_an_agreement_with_no_activity_since_2015_is_dormant():
    agreement = _agreement()

    assert _health(agreement).dormant is True
    assert list(health.dormant(Agreement.objects.all())) == [agreement]


def test_an_activity_exactly_twelve_months_ago_keeps_it_active():
    agreement = _agreement()
    factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 3, 14))

    assert _health(agreement).dormant is False
    assert not health.dormant(Agreement.objects.all()).exists()


def test_an_activity_twelve_months_and_a_day_ago_leaves_it_dormant():
    agreement = _agreement()
    factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 3, 13))

    result = _health(agreement)

    assert result.dormant is True
    assert result.last_activity == datetime.date(2025, 3, 13)
    assert list(health.dormant(Agreement.objects.all())) == [agreement]


def test_a_planned_activity_does_not_count_yet():
    agreement = _agreement()
    factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2026, 3, 15))

    assert _health(agreement).last_activity is None
    assert _health(agreement).dormant is True


def test_an_agreement_younger_than_twelve_months_is_not_dormant():
    agreement = _agreement(signed_on=datetime.date(2025, 3, 14))

    assert _health(agreement).dormant is False
    assert not health.dormant(Agreement.objects.all()).exists()


def test_an_agreement_that_started_a_day_before_the_window_is_dormant():
    agreement = _agreement(signed_on=datetime.date(2025, 3, 13))

    assert _health(agreement).dormant is True


def test_an_expired_agreement_is_not_dormant():
    agreement = _agreement(
        term=Agreement.Term.FIXED,
        valid_until=datetime.date(2020, 11, 1),
    )

    assert _health(agreement).dormant is False


def test_the_months_come_from_the_setting():
    agreement = _agreement()
    factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 9, 14))

    with override_settings(PORTAL_DORMANT_MONTHS=6):
        assert _health(agreement).dormant is False
    with override_settings(PORTAL_DORMANT_MONTHS=5):
        assert _health(agreement).dormant is True


def test_commitments_with_an_activity_in_the_window_count_as_active():
    agreement = _agreement()
    kept, old, _idle = (factories.CommitmentFactory(agreement=agreement) for _ in range(3))
    recent = factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 3, 14))
    recent.commitments.set([kept])
    earlier = factories.ActivityFactory(agreement=agreement, starts_on=datetime.date(2025, 3, 13))
    earlier.commitments.set([old, kept])

    result = _health(agreement)

    assert (result.commitments, result.active_commitments, result.idle_commitments) == (3, 1, 2)
    assert result.recent_activities == 1


def test_health_of_many_agreements_takes_one_query(django_assert_num_queries):
    for _ in range(3):
        factories.ActivityFactory(agreement=_agreement())

    with django_assert_num_queries(1):  # the agreements with their health, as subqueries
        rows = [health.health_of(row) for row in health.with_health(Agreement.objects.all())]

    assert len(rows) == 3
