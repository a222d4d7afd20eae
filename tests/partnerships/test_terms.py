"""The renewal deadlines: end of term and notice deadline, from the dates as entered."""

import datetime

import pytest

from partnerships.models import Agreement, DurationUnit
from partnerships.terms import Deadlines, deadlines_on, notice_deadline, renewal_months
from tests.factories import AgreementFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def fixed(**fields):
    defaults = {
        "signed_on": D(2015, 11, 2),
        "term": Agreement.Term.FIXED,
        "term_length": 5,
        "term_length_unit": DurationUnit.YEARS,
    }
    return AgreementFactory(**{**defaults, **fields})


def test_end_of_term_and_notice_deadline_from_term_length_and_notice_in_months():
    agreement = fixed(notice_period=6, notice_period_unit=DurationUnit.MONTHS)

    assert deadlines_on(agreement, D(2019, 1, 1)) == Deadlines(
        end_of_term=D(2020, 11, 1), notice_deadline=D(2020, 5, 1), renewed=0
    )


def test_notice_in_weeks_and_days_counts_back_from_the_end_of_term():
    agreement = fixed(notice_period=4, notice_period_unit=DurationUnit.WEEKS)
    assert notice_deadline(agreement, D(2020, 11, 1)) == D(2020, 10, 4)
    agreement.notice_period, agreement.notice_period_unit = 90, DurationUnit.DAYS
    assert notice_deadline(agreement, D(2020, 11, 1)) == D(2020, 8, 3)


def test_no_notice_period_means_no_notice_deadline():
    assert deadlines_on(fixed(), D(2019, 1, 1)).notice_deadline is None


def test_automatic_renewal_gives_the_next_end_of_term():
    agreement = fixed(auto_renewal=True, notice_period=3, notice_period_unit=DurationUnit.MONTHS)

    assert deadlines_on(agreement, D(2026, 11, 26)) == Deadlines(
        end_of_term=D(2030, 11, 1), notice_deadline=D(2030, 8, 1), renewed=2
    )


def test_automatic_renewal_of_a_valid_until_date_renews_by_the_same_whole_months():
    agreement = fixed(term_length=None, valid_until=D(2018, 11, 1), auto_renewal=True)

    assert renewal_months(agreement) == 36
    assert deadlines_on(agreement, D(2019, 1, 1)).end_of_term == D(2021, 11, 1)


def test_an_expired_agreement_without_automatic_renewal_has_no_deadlines():
    assert deadlines_on(fixed(), D(2021, 1, 1)) is None


def test_an_open_ended_agreement_has_no_deadlines():
    assert deadlines_on(AgreementFactory(term=Agreement.Term.OPEN_ENDED), D(2019, 1, 1)) is None


def test_a_terminated_agreement_has_no_deadlines():
    agreement = fixed(terminated_on=D(2018, 1, 1), auto_renewal=True)
    assert deadlines_on(agreement, D(2019, 1, 1)) is None


def test_a_draft_has_no_deadlines():
    agreement = fixed(state=Agreement.State.DRAFT, signed_on=None, effective_from=D(2016, 1, 1))
    assert deadlines_on(agreement, D(2019, 1, 1)) is None


# "Expiring within N months": one queryset rule for the admin, the public list and the API


def expiring(months, today):
    return set(Agreement.objects.expiring_within(months, today))


def test_an_agreement_whose_term_ends_within_the_months_is_expiring():
    agreement = fixed()  # ends 1 November 2020

    assert expiring(6, D(2020, 5, 1)) == {agreement}
    assert expiring(6, D(2020, 11, 1)) == {agreement}
    assert expiring(3, D(2020, 5, 1)) == set()
    assert expiring(6, D(2020, 11, 2)) == set()


def test_an_agreement_that_renews_automatically_expires_at_its_next_end_of_term():
    agreement = fixed(auto_renewal=True)  # renewed terms end 1 November 2025, 2030, ...

    assert expiring(6, D(2025, 6, 1)) == {agreement}
    assert expiring(6, D(2025, 11, 2)) == set()
    assert expiring(12, D(2030, 1, 1)) == {agreement}


def test_terminated_superseded_draft_and_open_ended_agreements_are_not_expiring():
    fixed(terminated_on=D(2020, 1, 1))
    fixed(state=Agreement.State.DRAFT, signed_on=None, effective_from=D(2015, 11, 2))
    AgreementFactory(term=Agreement.Term.OPEN_ENDED)
    original = fixed(auto_renewal=True)
    AgreementFactory(signed_on=D(2019, 1, 1), previous=original, lineage="renews")

    assert expiring(12, D(2020, 6, 1)) == set()
