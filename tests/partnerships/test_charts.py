"""Agreements signed per year, by status (partnerships/charts.py)."""

import datetime

import pytest

from partnerships.charts import signed_per_year, signings_chart
from partnerships.models import Agreement

D = datetime.date
pytestmark = pytest.mark.django_db


def test_counts_published_agreements_by_signing_year_and_status(agreement_factory):
    agreement_factory.create_batch(2, signed_on=D(2015, 11, 2), term=Agreement.Term.OPEN_ENDED)
    agreement_factory(signed_on=D(2015, 3, 1), term=Agreement.Term.UNSTATED)
    agreement_factory(signed_on=D(2018, 1, 1), term=Agreement.Term.OPEN_ENDED)

    assert signed_per_year(Agreement.objects.published()) == {
        ("2015", "in_force"): 2,
        ("2015", "signed"): 1,
        ("2018", "in_force"): 1,
    }


def test_unpublished_agreements_are_not_counted(agreement_factory):
    agreement_factory(signed_on=D(2015, 11, 2), publication="in_review")

    assert signed_per_year(Agreement.objects.published()) == {}


def test_agreements_without_a_signing_date_are_not_charted(agreement_factory):
    agreement_factory(signed_on=None, effective_from=D(2016, 1, 1))

    assert signings_chart(signed_per_year(Agreement.objects.published())) is None


def test_the_chart_has_every_year_from_the_first_to_the_last(agreement_factory):
    agreement_factory(signed_on=D(2015, 11, 2))
    agreement_factory(signed_on=D(2018, 1, 1))

    chart = signings_chart(signed_per_year(Agreement.objects.published()))

    assert [column.label for column in chart.columns] == ["2015", "2016", "2017", "2018"]


def test_the_chart_shows_only_statuses_that_occur(agreement_factory):
    agreement_factory(signed_on=D(2015, 11, 2), term=Agreement.Term.OPEN_ENDED)

    chart = signings_chart(signed_per_year(Agreement.objects.published()))

    assert [series.key for series in chart.series] == ["in_force"]


def test_one_query_whatever_the_number_of_agreements(agreement_factory, django_assert_num_queries):
    for year in range(2000, 2020):
        agreement_factory(signed_on=D(year, 6, 1))

    with django_assert_num_queries(1):
        signings_chart(signed_per_year(Agreement.objects.published()))
