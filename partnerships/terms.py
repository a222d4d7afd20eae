"""The term and the status of an agreement: each rule once in Python and once in SQL, side by side.

Everything follows from the dates entered. The start is 'effective from', else the signing date;
the end of the first term is 'valid until', or the start plus the term length ("valid for 5 years
from 2 November 2015" is valid until 1 November 2020). An agreement that renews automatically
starts a new term of the same length the day after each term ends, so its current end of term is
the first one on or after ``today``; the notice deadline is that end minus the notice period
("6 months' notice" before a term ending on 1 November 2020 means notice by 1 May 2020). The
status on a day (draft, signed, in force, expired, terminated, superseded) follows from the
state, those dates and the agreement's successors.

Each rule that a list filters or sorts by has a twin in SQL, next to it here, which must give
the same answer for every row (tests/partnerships/test_terms.py checks them over a table of
cases): ``term_months``/``term_months_expression``, ``ends_on``/``end_date_expression``,
``renewal_months``/``renewal_months_expression``, ``term_end_on``/``current_end_expression``,
``status_on``/``status_expression``, ``add_months``/``AddMonths``.

Imports no models: ``partnerships/models.py`` builds ``Agreement`` from the vocabulary here and
asks these functions (its properties ``ends_on``, ``status`` …, its ``QuerySet.with_status()``
…). The Python functions take any object with an agreement's fields (:class:`AgreementTerms`).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Protocol

from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact, GreaterThan, IsNull, LessThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

# --- The vocabulary (``Agreement.State``, ``.Term``, ``.Status``, ``.Lineage`` are these) -----


class DurationUnit(models.TextChoices):
    """Units of durations as agreements state them ("valid for 5 years", "6 months' notice")."""

    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONCLUDED = "concluded", _("Concluded (signed)")


class Term(models.TextChoices):
    FIXED = "fixed", _("Fixed term (valid until a date)")
    OPEN_ENDED = "open_ended", _("Open-ended")
    UNSTATED = "unstated", _("Not stated")


class Status(models.TextChoices):
    """Derived, never stored: :func:`status_on` and :func:`status_expression`."""

    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    SUPERSEDED = "superseded", _("Superseded")


class Lineage(models.TextChoices):
    RENEWS = "renews", _("renews")
    AMENDS = "amends", _("amends")
    SUPERSEDES = "supersedes", _("supersedes")


class AgreementTerms(Protocol):
    """The fields of an agreement the rules read (``partnerships.models.Agreement`` has them)."""

    @property
    def state(self) -> str: ...
    @property
    def term(self) -> str: ...
    @property
    def signed_on(self) -> datetime.date | None: ...
    @property
    def effective_from(self) -> datetime.date | None: ...
    @property
    def valid_until(self) -> datetime.date | None: ...
    @property
    def terminated_on(self) -> datetime.date | None: ...
    @property
    def term_length(self) -> int | None: ...
    @property
    def term_length_unit(self) -> str: ...
    @property
    def auto_renewal(self) -> bool: ...
    @property
    def notice_period(self) -> int | None: ...
    @property
    def notice_period_unit(self) -> str: ...
    @property
    def successors(self) -> Any: ...  # the agreements whose ``previous`` it is


# --- Months ------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months; the 31st becomes the month's last day where needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(1)).day
    return day.replace(year=year, month=month, day=min(day.day, last_day))


# --- SQL functions on dates -------------------------------------------------------------------


class TermEnd(Func):
    """The last day of a term of ``months`` months from ``start`` (a date), in SQL: the day
    before the same day ``months`` later, as :func:`term_end`
    counts it (PostgreSQL's ``date + interval`` keeps the month's last day, as ``add_months``).
    NULL when either is NULL."""

    output_field = models.DateField()
    # (CAST(start + make_interval(months => CAST(months AS integer)) AS date) - 1)
    template = "(CAST(%(expressions)s AS integer)) AS date) - 1)"
    arg_joiner = " + make_interval(months => CAST("

    def __init__(self, start, months, **extra):
        super().__init__(start, months, **extra)


class AddMonths(Func):
    """``start`` (a date) moved by ``months`` whole months, in SQL, as
    :func:`add_months`: PostgreSQL's ``date + interval`` keeps the month's
    last day (31 January + 1 month = 28 or 29 February). NULL when either is NULL."""

    output_field = models.DateField()
    # CAST(start + make_interval(months => CAST(months AS integer)) AS date)
    template = "CAST(%(expressions)s AS integer)) AS date)"
    arg_joiner = " + make_interval(months => CAST("

    def __init__(self, start, months, **extra):
        super().__init__(start, months, **extra)


class AddDays(Func):
    """``day`` (a date) plus ``days`` (an integer) days, a date: PostgreSQL's ``date + integer``."""

    output_field = models.DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def __init__(self, day, days, **extra):
        super().__init__(day, days, **extra)


class MonthNumber(Func):
    """A date's month counted from year 0 (``year * 12 + month - 1``), an integer: the
    difference of two is the number of calendar months between them."""

    output_field = models.IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer) * 12"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS integer) - 1)"
    )

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        sql, params = super().as_sql(compiler, connection, function, template, arg_joiner, **extra)
        return sql, (*params, *params)  # the template names the date twice


# --- The start, the term and its end ----------------------------------------------------------


def starts_on(agreement: AgreementTerms) -> datetime.date | None:
    """'Effective from', else the signing date."""
    return agreement.effective_from or agreement.signed_on


def starts_on_expression() -> Coalesce:
    """:func:`starts_on` in SQL."""
    return Coalesce(F("effective_from"), F("signed_on"), output_field=models.DateField())


def term_months(agreement: AgreementTerms) -> int | None:
    """The term length in months; None if not stated."""
    if agreement.term_length is None:
        return None
    return agreement.term_length * (12 if agreement.term_length_unit == DurationUnit.YEARS else 1)


def term_months_expression() -> Case:
    """:func:`term_months` in SQL."""
    return Case(
        When(term_length_unit=DurationUnit.YEARS, then=F("term_length") * 12),
        default=F("term_length"),
        output_field=models.IntegerField(),
    )


def term_end(agreement: AgreementTerms) -> datetime.date | None:
    """The last day counted from the start and the term length: valid for 5 years from
    2 November 2015 is valid until 1 November 2020. None without either."""
    months, start = term_months(agreement), starts_on(agreement)
    if months is None or start is None:
        return None
    try:
        return add_months(start, months) - datetime.timedelta(days=1)
    except (OverflowError, ValueError):
        # Beyond the calendar (after the year 9999): a term the form refuses, shown by the
        # admin's read-only "ends on" while it says so, must not fail the page.
        return None


def ends_on(agreement: AgreementTerms) -> datetime.date | None:
    """The last day of the first term: 'valid until' if given, else :func:`term_end`."""
    return agreement.valid_until or term_end(agreement)


def end_date_expression() -> Coalesce:
    """:func:`ends_on` in SQL."""
    return Coalesce(
        F("valid_until"),
        TermEnd(starts_on_expression(), term_months_expression()),
        output_field=models.DateField(),
    )


def renewal_months(agreement: AgreementTerms) -> int | None:
    """The length of each renewed term in months: the term length, or, given only a 'valid
    until' date, the whole months from the start to the day after it. None if unknown."""
    months = term_months(agreement)
    if months is not None:
        return months
    start, end = starts_on(agreement), agreement.valid_until
    if start is None or end is None:
        return None
    day_after = end + datetime.timedelta(days=1)
    months = (day_after.year - start.year) * 12 + day_after.month - start.month
    return months if months > 0 and add_months(start, months) == day_after else None


def renewal_months_expression() -> Case:
    """:func:`renewal_months` in SQL: the term length in months, or the whole months from the
    start to the day after 'valid until'; NULL if unknown."""
    start = starts_on_expression()
    day_after = AddDays(F("valid_until"), Value(1))
    months = MonthNumber(day_after) - MonthNumber(start)
    return Case(
        When(term_length__isnull=False, then=term_months_expression()),
        When(
            GreaterThan(months, 0) & Exact(AddMonths(start, months), day_after),
            then=months,
        ),
        default=None,
        output_field=models.IntegerField(),
    )


def term_end_on(
    agreement: AgreementTerms, today: datetime.date
) -> tuple[datetime.date, int] | None:
    """The end of the term current on ``today`` and the number of renewals before it."""
    end = ends_on(agreement)
    if end is None:
        return None
    if end >= today or not agreement.auto_renewal:
        return end, 0
    months = renewal_months(agreement)
    if months is None:
        return end, 0
    # Each renewed term begins the day after the previous one ends and lasts ``months``.
    first_start = end + datetime.timedelta(days=1)
    renewed = 1
    while add_months(first_start, months * renewed) - datetime.timedelta(days=1) < today:
        renewed += 1
    return add_months(first_start, months * renewed) - datetime.timedelta(days=1), renewed


def current_end_expression(today: datetime.date) -> Case:
    """:func:`term_end_on` in SQL (its date): :func:`ends_on`, or for an agreement that renews
    automatically and is past it, the end of the first renewed term ending on or after
    ``today``. Renewed term *n* ends the day before ``first_start + n * months``
    (``first_start`` the day after the first end); the smallest such *n* is the whole terms in
    the calendar months from ``first_start`` to ``today``, plus one if the term they reach has
    ended by ``today``."""
    end = end_date_expression()
    months = renewal_months_expression()
    first_start = AddDays(end, Value(1))
    elapsed = Value(today.year * 12 + today.month - 1) - MonthNumber(first_start)
    whole = Cast(elapsed / months, models.IntegerField())  # both integers: floor (>= 0)
    renewed = whole + Case(
        When(LessThanOrEqual(AddMonths(first_start, months * whole), Value(today)), then=1),
        default=0,
        output_field=models.IntegerField(),
    )
    return Case(
        When(
            Q(auto_renewal=True) & LessThan(end, Value(today)) & IsNull(months, False),
            then=TermEnd(first_start, months * renewed),
        ),
        default=end,
        output_field=models.DateField(),
    )


# --- The status on a day ----------------------------------------------------------------------


def replaces_predecessor_on(today: datetime.date) -> Q:
    """Successors that make their predecessor "superseded" on ``today``: concluded renewals or
    supersessions that have taken effect (or whose dates are unknown). Until a renewal takes
    effect, the agreement it renews stays in force."""
    signed_by_today = Q(signed_on__lte=today) | Q(signed_on__isnull=True)
    in_effect = Q(effective_from__lte=today) | (Q(effective_from__isnull=True) & signed_by_today)
    return in_effect & Q(
        lineage__in=[Lineage.RENEWS, Lineage.SUPERSEDES],
        state=State.CONCLUDED,
    )


def status_on(agreement: AgreementTerms, today: datetime.date) -> str:
    """The status on ``today``, from the state, the dates and the lineage."""
    if agreement.state == State.DRAFT:
        return Status.DRAFT
    if agreement.terminated_on and agreement.terminated_on <= today:
        return Status.TERMINATED
    if agreement.successors.filter(replaces_predecessor_on(today)).exists():
        return Status.SUPERSEDED
    start, end = starts_on(agreement), ends_on(agreement)
    if start and start > today:
        return Status.SIGNED
    if end and end < today and not agreement.auto_renewal:
        # Renewing automatically, it stays in force, term after term, until terminated.
        return Status.EXPIRED
    if agreement.term in (Term.FIXED, Term.OPEN_ENDED):
        return Status.IN_FORCE
    return Status.SIGNED


def status_expression(today: datetime.date, agreements: models.QuerySet) -> Case:
    """:func:`status_on` in SQL; ``agreements``: every agreement (the successors are among them)."""
    successor = agreements.filter(replaces_predecessor_on(today), previous=OuterRef("pk"))
    return Case(
        When(state=State.DRAFT, then=Value(Status.DRAFT)),
        When(terminated_on__lte=today, then=Value(Status.TERMINATED)),
        When(Exists(successor), then=Value(Status.SUPERSEDED)),
        When(
            Q(effective_from__gt=today) | Q(effective_from__isnull=True, signed_on__gt=today),
            then=Value(Status.SIGNED),
        ),
        When(
            Q(auto_renewal=False) & LessThan(end_date_expression(), Value(today)),
            then=Value(Status.EXPIRED),
        ),
        When(term__in=[Term.FIXED, Term.OPEN_ENDED], then=Value(Status.IN_FORCE)),
        default=Value(Status.SIGNED),
        output_field=models.CharField(),
    )


# --- Renewal deadlines: the end of the current term and the last day to give notice -----------

# Statuses that still have deadlines ahead: a draft has none yet, an expired, terminated or
# superseded agreement none any more.
_OPEN_STATUSES = frozenset({Status.SIGNED, Status.IN_FORCE})


@dataclasses.dataclass(frozen=True)
class Deadlines:
    """The deadlines of the term current on a day (or the next one, before the start)."""

    end_of_term: datetime.date
    notice_deadline: datetime.date | None
    renewed: int  # automatic renewals since the first term ended (0: the first term)


def notice_deadline(agreement: AgreementTerms, end_of_term: datetime.date) -> datetime.date | None:
    """The last day to give notice before a term ending on ``end_of_term``; None if no notice
    period is stated."""
    count, unit = agreement.notice_period, agreement.notice_period_unit
    if count is None:
        return None
    if unit == DurationUnit.MONTHS:
        return add_months(end_of_term, -count)
    days = count * 7 if unit == DurationUnit.WEEKS else count
    return end_of_term - datetime.timedelta(days=days)


def deadlines_on(
    agreement: AgreementTerms, today: datetime.date, *, status: str | None = None
) -> Deadlines | None:
    """The deadlines ahead of ``agreement`` on ``today``; None when there is no end of term to
    plan for (no end date, or the agreement is a draft, terminated, superseded or expired).
    ``status``: its status on ``today`` when already known (a list annotated by
    ``with_status(today)``), which saves a query per agreement."""
    # An agreement that renews automatically is in force past its first end of term.
    status = status or status_on(agreement, today)
    if status not in _OPEN_STATUSES:
        return None
    found = term_end_on(agreement, today)
    if found is None:
        return None
    end, renewed = found
    if end < today:
        return None
    return Deadlines(
        end_of_term=end, notice_deadline=notice_deadline(agreement, end), renewed=renewed
    )
