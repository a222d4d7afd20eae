"""The public "Activities" timeline of an agreement and the recent joint activities of an
organisation and a region pair (partnerships/timeline.py): public activities only, the results
summed per year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships import timeline
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def agreement():
    agreement = factories.AgreementFactory(title="Synthetic timeline agreement")
    factories.ActivityFactory(
        agreement=agreement, starts_on=D(2025, 3, 14), companies=12, funding=Decimal("5000")
    )
    factories.ActivityFactory(agreement=agreement, starts_on=D(2025, 10, 1), companies=3)
    factories.ActivityFactory(agreement=agreement, starts_on=D(2024, 5, 2), meetings=7)
    factories.ActivityFactory(
        agreement=agreement,
        starts_on=D(2025, 6, 1),
        companies=100,
        visibility="partners",
        description="Secret partners-only visit",
    )
    return agreement


def test_the_results_are_summed_per_year_over_public_activities_only(agreement):
    years, count = timeline.agreement_timeline(agreement)

    assert count == 3
    assert [(y.year, y.count, y.totals) for y in years] == [
        (2025, 2, {"companies": 15, "funding": Decimal("5000.00")}),
        (2024, 1, {"meetings": 7}),
    ]


def test_the_agreement_page_shows_the_timeline_without_partners_only_activities(client, agreement):
    response = client.get(agreement.get_absolute_url())

    content = response.content.decode()
    assert 'id="activities-title"' in content
    assert "15 companies taking part" in content
    assert "Secret partners-only visit" not in content


def test_each_year_is_a_fold_and_only_the_latest_is_open(client, agreement):
    content = client.get(agreement.get_absolute_url()).content.decode()

    assert content.count('<details class="activity-year" open>') == 1
    assert content.count('<details class="activity-year">') == 1  # 2024, folded
    assert content.index("2025</h3>") < content.index("2024</h3>")


def test_the_timeline_reads_two_queries_however_many_activities(
    agreement, django_assert_num_queries
):
    factories.ActivityFactory.create_batch(40, agreement=agreement)

    with django_assert_num_queries(2):  # the sums per year, the latest activities
        years, count = timeline.agreement_timeline(agreement)

    assert count == 43
    assert sum(len(year.activities) for year in years) == timeline.TIMELINE_SHOWN


def test_the_organisation_page_shows_recent_joint_activities(client, agreement):
    party = factories.AgreementPartyFactory(agreement=agreement)

    response = client.get(party.organization.get_absolute_url())

    content = response.content.decode()
    assert "Recent joint activities" in content
    assert "Secret partners-only visit" not in content


def test_the_region_pair_page_shows_recent_joint_activities(client, agreement):
    north = factories.AgreementPartyFactory(agreement=agreement).organization
    south = factories.AgreementPartyFactory(agreement=agreement).organization

    response = client.get(
        reverse("partnerships:region_pair", args=[north.region.slug, south.region.slug])
    )

    assert [a.agreement_id for a in response.context["recent_activities"]] == [agreement.pk] * 3
