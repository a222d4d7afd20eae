"""The term and the status of an agreement (partnerships/terms.py): each rule in Python agrees with
its twin in SQL over a table of cases; the renewal deadlines (end of term, notice deadline) from
the dates as entered; "expiring within N months"."""

import datetime

import pytest
from django.db.models import Value

from partnerships import terms
from partnerships.models import Agreement
from partnerships.terms import (
    Deadlines,
    DurationUnit,
    deadlines_on,
    notice_deadline,
    renewal_months,
    term_end_on,
)
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


# Derived status: status_on() in Python and with_status() in SQL must agree

TODAY = D(2020, 6, 1)


def both_statuses(agreement, today=TODAY):
    annotated = Agreement.objects.with_status(today).get(pk=agreement.pk).current_status
    return agreement.status_on(today), annotated


def test_a_draft_is_draft(agreement_factory):
    agreement = agreement_factory(state=Agreement.State.DRAFT, signed_on=None)

    assert both_statuses(agreement) == ("draft", "draft")


def test_a_draft_renewal_does_not_supersede_its_predecessor_and_is_itself_draft(
    agreement_factory,
):
    original = agreement_factory(signed_on=D(2015, 11, 2))
    renewal = agreement_factory(
        state=Agreement.State.DRAFT, signed_on=None, previous=original, lineage="renews"
    )

    assert both_statuses(original) == ("in_force", "in_force")
    assert both_statuses(renewal) == ("draft", "draft")


def test_an_agreement_signed_but_not_yet_effective_is_signed(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2020, 5, 1), effective_from=D(2020, 7, 1), term=Agreement.Term.OPEN_ENDED
    )

    assert both_statuses(agreement) == ("signed", "signed")


def test_an_agreement_signed_after_today_without_effective_date_is_signed(agreement_factory):
    agreement = agreement_factory(signed_on=D(2020, 6, 2), term=Agreement.Term.OPEN_ENDED)

    assert both_statuses(agreement) == ("signed", "signed")


def test_an_open_ended_agreement_in_effect_is_in_force(agreement_factory):
    agreement = agreement_factory(signed_on=D(2015, 11, 2), term=Agreement.Term.OPEN_ENDED)

    assert both_statuses(agreement) == ("in_force", "in_force")


def test_an_agreement_effective_today_is_in_force(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2020, 5, 1), effective_from=TODAY, term=Agreement.Term.OPEN_ENDED
    )

    assert both_statuses(agreement) == ("in_force", "in_force")


def test_a_fixed_term_agreement_on_its_last_day_is_in_force(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2), term=Agreement.Term.FIXED, valid_until=TODAY
    )

    assert both_statuses(agreement) == ("in_force", "in_force")


def test_a_fixed_term_agreement_after_its_last_day_is_expired(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2), term=Agreement.Term.FIXED, valid_until=D(2020, 5, 31)
    )

    assert both_statuses(agreement) == ("expired", "expired")


def test_an_agreement_terminated_before_today_is_terminated(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=D(2025, 11, 1),
        terminated_on=D(2019, 3, 31),
    )

    assert both_statuses(agreement) == ("terminated", "terminated")


def test_an_agreement_terminated_after_today_is_still_in_force(agreement_factory):
    agreement = agreement_factory(signed_on=D(2015, 11, 2), terminated_on=D(2020, 12, 31))

    assert both_statuses(agreement) == ("in_force", "in_force")


def test_an_agreement_renewed_by_a_concluded_agreement_is_superseded(agreement_factory):
    original = agreement_factory(signed_on=D(2010, 11, 2))
    renewal = agreement_factory(signed_on=D(2015, 11, 2), previous=original, lineage="renews")

    assert both_statuses(original) == ("superseded", "superseded")
    assert both_statuses(renewal) == ("in_force", "in_force")


def test_an_agreement_superseded_by_a_concluded_agreement_is_superseded(agreement_factory):
    original = agreement_factory(
        signed_on=D(2010, 11, 2), term=Agreement.Term.FIXED, valid_until=D(2030, 1, 1)
    )
    agreement_factory(signed_on=D(2015, 11, 2), previous=original, lineage="supersedes")

    assert both_statuses(original) == ("superseded", "superseded")


def test_an_agreement_stays_in_force_until_its_renewal_takes_effect(agreement_factory):
    original = agreement_factory(signed_on=D(2010, 11, 2))
    agreement_factory(
        signed_on=D(2020, 5, 1),
        effective_from=D(2020, 7, 1),
        previous=original,
        lineage="renews",
    )

    assert both_statuses(original) == ("in_force", "in_force")
    assert both_statuses(original, today=D(2020, 7, 1)) == ("superseded", "superseded")


def test_an_agreement_renewed_by_a_concluded_renewal_of_unknown_date_is_superseded(
    agreement_factory,
):
    original = agreement_factory(signed_on=D(2010, 11, 2))
    agreement_factory(signed_on=None, previous=original, lineage="renews")

    assert both_statuses(original) == ("superseded", "superseded")


def test_an_amended_agreement_stays_in_force(agreement_factory):
    original = agreement_factory(signed_on=D(2010, 11, 2))
    agreement_factory(signed_on=D(2015, 11, 2), previous=original, lineage="amends")

    assert both_statuses(original) == ("in_force", "in_force")


def test_an_agreement_with_an_unstated_term_is_signed(agreement_factory):
    agreement = agreement_factory(signed_on=D(2015, 11, 2), term=Agreement.Term.UNSTATED)

    assert both_statuses(agreement) == ("signed", "signed")


def test_status_uses_the_annotation_when_present(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2), term=Agreement.Term.FIXED, valid_until=D(2016, 11, 1)
    )
    annotated = Agreement.objects.with_status(D(2016, 1, 1)).get(pk=agreement.pk)

    assert annotated.status == "in_force"
    assert annotated.get_status_display() == "In force"


def test_an_agreement_that_renews_automatically_is_in_force_past_its_first_end(
    agreement_factory,
):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=D(2018, 11, 1),
        auto_renewal=True,
    )

    assert both_statuses(agreement) == ("in_force", "in_force")


def test_an_agreement_that_renews_automatically_ends_when_terminated(agreement_factory):
    agreement = agreement_factory(
        signed_on=D(2015, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=D(2018, 11, 1),
        auto_renewal=True,
        terminated_on=D(2019, 12, 31),
    )

    assert both_statuses(agreement) == ("terminated", "terminated")


def test_an_agreement_that_renews_automatically_is_superseded_by_its_successor(
    agreement_factory,
):
    original = agreement_factory(
        signed_on=D(2010, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=D(2012, 11, 1),
        auto_renewal=True,
    )
    agreement_factory(signed_on=D(2019, 11, 2), previous=original, lineage="supersedes")

    assert both_statuses(original) == ("superseded", "superseded")


# The end of the current term: current_end_expression() in SQL is term_end_on() in Python


@pytest.mark.parametrize(
    "fields",
    [
        {"term_length": 5, "term_length_unit": "years"},
        {"term_length": 5, "term_length_unit": "years", "auto_renewal": True},
        {"term_length": 1, "term_length_unit": "months", "auto_renewal": True},
        {"term_length": 18, "term_length_unit": "months", "auto_renewal": True},
        {"valid_until": D(2016, 11, 1), "auto_renewal": True},  # whole months: 12
        {"valid_until": D(2016, 10, 15), "auto_renewal": True},  # not whole months
        {"valid_until": D(2021, 1, 1), "auto_renewal": True},  # not yet past its end
        {
            "signed_on": D(2016, 1, 31),
            "term_length": 1,
            "term_length_unit": "months",
            "auto_renewal": True,
        },  # the 31st: month ends
        {
            "signed_on": D(2016, 2, 29),
            "term_length": 1,
            "term_length_unit": "years",
            "auto_renewal": True,
        },  # the 29 February
        {
            "effective_from": D(2016, 3, 31),
            "valid_until": D(2016, 6, 30),
            "auto_renewal": True,
        },  # three months from the 31st
    ],
)
@pytest.mark.parametrize(
    "today",
    [
        D(2015, 12, 1),
        D(2016, 2, 28),
        D(2016, 2, 29),
        D(2016, 3, 1),
        D(2016, 11, 2),
        D(2020, 6, 1),
        D(2020, 11, 1),
        D(2020, 11, 2),
        D(2031, 1, 31),
        D(2044, 2, 29),
    ],
)
def test_current_end_of_term_in_sql_is_the_one_in_python(agreement_factory, fields, today):
    agreement = agreement_factory(
        **{"signed_on": D(2015, 11, 2), "term": Agreement.Term.FIXED, **fields}
    )
    found = term_end_on(agreement, today)
    annotated = Agreement.objects.with_term_end(today).get(pk=agreement.pk).term_end_on

    assert annotated == (found[0] if found else None)


# Every rule and its SQL twin, over one table of agreements and days

TWIN_CASES = {
    "open-ended": {"term": "open_ended"},
    "unstated term": {"term": "unstated"},
    "valid until": {"valid_until": D(2020, 11, 1)},
    "5 years": {"term_length": 5, "term_length_unit": "years"},
    "18 months, renewing": {"term_length": 18, "term_length_unit": "months", "auto_renewal": True},
    "valid until, renewing by whole months": {"valid_until": D(2016, 11, 1), "auto_renewal": True},
    "valid until, renewing, not whole months": {
        "valid_until": D(2016, 10, 15),
        "auto_renewal": True,
    },
    "effective later": {"effective_from": D(2016, 3, 31), "valid_until": D(2016, 6, 30)},
    "from the 31st, monthly": {
        "signed_on": D(2016, 1, 31),
        "term_length": 1,
        "term_length_unit": "months",
        "auto_renewal": True,
    },
    "from 29 February, yearly": {
        "signed_on": D(2016, 2, 29),
        "term_length": 1,
        "term_length_unit": "years",
    },
    "terminated": {"term_length": 5, "term_length_unit": "years", "terminated_on": D(2017, 6, 30)},
    "no dates": {"signed_on": None, "term_length": 3, "term_length_unit": "years"},
    "draft": {"state": "draft", "signed_on": None, "valid_until": D(2018, 1, 1)},
    # A successor that renews it from 1 July 2016 (superseded from then on).
    "renewed by a successor": {"term": "open_ended", "renewed_on": D(2016, 7, 1)},
}
TWIN_DAYS = [D(2015, 11, 1), D(2016, 2, 29), D(2016, 7, 1), D(2020, 11, 1), D(2020, 11, 2)]


@pytest.mark.parametrize("case", TWIN_CASES)
def test_every_term_rule_in_python_agrees_with_its_twin_in_sql(agreement_factory, case):
    fields = dict(TWIN_CASES[case])
    renewed_on = fields.pop("renewed_on", None)
    agreement = agreement_factory(
        **{"signed_on": D(2015, 11, 2), "term": Agreement.Term.FIXED, **fields}
    )
    if renewed_on is not None:
        agreement_factory(signed_on=renewed_on, previous=agreement, lineage="renews")
    row = Agreement.objects.annotate(
        starts_sql=terms.starts_on_expression(),
        months_sql=terms.term_months_expression(),
        ends_sql=terms.end_date_expression(),
        renewal_sql=terms.renewal_months_expression(),
    ).get(pk=agreement.pk)

    assert (row.starts_sql, row.months_sql, row.ends_sql, row.renewal_sql) == (
        terms.starts_on(agreement),
        terms.term_months(agreement),
        terms.ends_on(agreement),
        terms.renewal_months(agreement),
    )
    for today in TWIN_DAYS:
        on_the_day = Agreement.objects.annotate(
            status_sql=terms.status_expression(today, Agreement.objects.all()),
            end_sql=terms.current_end_expression(today),
        ).get(pk=agreement.pk)
        found = terms.term_end_on(agreement, today)

        assert on_the_day.status_sql == terms.status_on(agreement, today), today
        assert on_the_day.end_sql == (found[0] if found else None), today


@pytest.mark.parametrize(
    ("day", "months"),
    [
        (D(2016, 1, 31), 1),
        (D(2016, 1, 31), 13),
        (D(2016, 2, 29), 12),
        (D(2016, 3, 31), -1),
        (D(2015, 12, 15), 1),
        (D(2020, 5, 1), -6),
    ],
)
def test_add_months_in_python_is_add_months_in_sql(agreement_factory, day, months):
    agreement = agreement_factory()
    moved = (
        Agreement.objects.annotate(moved=terms.AddMonths(Value(day), Value(months)))
        .values_list("moved", flat=True)
        .get(pk=agreement.pk)
    )

    assert moved == terms.add_months(day, months)
