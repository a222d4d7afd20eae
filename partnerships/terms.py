"""Renewal deadlines of an agreement: the end of its current term and the last day to give notice.

One computation, used by the agreement page, the admin, the reminders and the calendar feed.
Everything follows from the dates entered: the end of term is :attr:`Agreement.ends_on` ('valid
until', or the start plus the term length); an agreement that renews automatically starts a new
term of the same length the day after each term ends, so its next end of term is the first one
on or after ``today``. The notice deadline is the end of that term minus the notice period:
"6 months' notice" before a term ending on 1 November 2020 means notice by 1 May 2020.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING

from .models import DurationUnit, add_months

if TYPE_CHECKING:
    from .models import Agreement

# Statuses that still have deadlines ahead: a draft has none yet, an expired, terminated or
# superseded agreement none any more.
_OPEN_STATUSES = frozenset({"signed", "in_force"})


@dataclasses.dataclass(frozen=True)
class Deadlines:
    """The deadlines of the term current on a day (or the next one, before the start)."""

    end_of_term: datetime.date
    notice_deadline: datetime.date | None
    renewed: int  # automatic renewals since the first term ended (0: the first term)


def renewal_months(agreement: Agreement) -> int | None:
    """The length of each renewed term in months: the term length, or, given only a 'valid
    until' date, the whole months from the start to the day after it. None if unknown."""
    if agreement.term_months is not None:
        return agreement.term_months
    start, end = agreement.starts_on, agreement.valid_until
    if start is None or end is None:
        return None
    day_after = end + datetime.timedelta(days=1)
    months = (day_after.year - start.year) * 12 + day_after.month - start.month
    return months if months > 0 and add_months(start, months) == day_after else None


def notice_deadline(agreement: Agreement, end_of_term: datetime.date) -> datetime.date | None:
    """The last day to give notice before a term ending on ``end_of_term``; None if no notice
    period is stated."""
    count, unit = agreement.notice_period, agreement.notice_period_unit
    if count is None:
        return None
    if unit == DurationUnit.MONTHS:
        return add_months(end_of_term, -count)
    days = count * 7 if unit == DurationUnit.WEEKS else count
    return end_of_term - datetime.timedelta(days=days)


def term_end_on(agreement: Agreement, today: datetime.date) -> tuple[datetime.date, int] | None:
    """The end of the term current on ``today`` and the number of renewals before it."""
    end = agreement.ends_on
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


def deadlines_on(
    agreement: Agreement, today: datetime.date, *, status: str | None = None
) -> Deadlines | None:
    """The deadlines ahead of ``agreement`` on ``today``; None when there is no end of term to
    plan for (no end date, or the agreement is a draft, terminated, superseded or expired).
    ``status``: its status on ``today`` when already known (a list annotated by
    ``with_status(today)``), which saves a query per agreement."""
    # An agreement that renews automatically is in force past its first end of term.
    status = status or agreement.status_on(today)
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
