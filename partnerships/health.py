"""The health of an agreement: what happened under it since it was signed. The one rule.

For an agreement that runs (signed, not expired, terminated or superseded, and started):

- **last activity**: the latest day an activity under it took place (on or before today);
- **recent activities**: the activities of the last ``settings.PORTAL_DORMANT_MONTHS`` months
  (12 by default), the "activities per year" of the dashboard and the reports;
- **commitments**: how many it has, and how many saw an activity in those months;
- **dormant**: nothing recorded in those months — neither since its start, when it started
  before them. An activity exactly ``PORTAL_DORMANT_MONTHS`` months ago still counts (the
  window includes its first day).

Computed in SQL for any number of agreements (:func:`with_health`, a constant number of
queries: subqueries in one statement), read back as :class:`Health` (:func:`health_of`); the
same window and the same rule for the dashboard, the agreement page, the renewal reminders,
the "Dormant and at-risk" report and the funders' reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships import terms
from partnerships.models import Activity, Agreement, AgreementQuerySet, Commitment
from partnerships.terms import add_months

RUNNING_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE)


def dormant_months() -> int:
    return settings.PORTAL_DORMANT_MONTHS


def window_start(today: datetime.date) -> datetime.date:
    """The first day that still counts as recent: ``PORTAL_DORMANT_MONTHS`` months ago."""
    return add_months(today, -dormant_months())


@dataclass(frozen=True)
class Health:
    last_activity: datetime.date | None
    recent_activities: int
    commitments: int
    active_commitments: int
    started_on: datetime.date | None
    window_start: datetime.date
    running: bool

    @property
    def idle_commitments(self) -> int:
        """Commitments with no activity in the window."""
        return self.commitments - self.active_commitments

    @property
    def dormant(self) -> bool:
        """Running, and nothing recorded in the window although it started before it."""
        if not self.running:
            return False
        if self.last_activity is not None and self.last_activity >= self.window_start:
            return False
        return self.started_on is not None and self.started_on < self.window_start


def _activities(public_only: bool) -> QuerySet[Activity]:
    # What the public sees counts public activities only: a public report must not let anyone
    # infer partners-only ones.
    return Activity.objects.public() if public_only else Activity.objects.all()


def with_health(
    qs: AgreementQuerySet, today: datetime.date | None = None, *, public_only: bool = False
) -> QuerySet:
    """Annotate ``last_activity``, ``recent_activities``, ``commitment_count``,
    ``active_commitments`` and ``current_status`` (and ``health_start``) on ``qs``; with
    ``public_only``, from the public activities alone."""
    today = today or timezone.localdate()
    since = window_start(today)
    done = _activities(public_only).filter(agreement=OuterRef("pk"), starts_on__lte=today)
    recent = done.filter(starts_on__gte=since)
    active = Commitment.objects.filter(
        agreement=OuterRef("pk"),
        activities__in=_activities(public_only).filter(starts_on__gte=since, starts_on__lte=today),
    )
    if "current_status" not in qs.query.annotations:
        qs = qs.with_status(today)
    return qs.annotate(
        health_start=terms.starts_on_expression(),
        last_activity=Subquery(
            done.order_by().values("agreement").annotate(last=Max("starts_on")).values("last")
        ),
        recent_activities=_count(recent),
        commitment_count=_count(Commitment.objects.filter(agreement=OuterRef("pk"))),
        active_commitments=_count(active, distinct="pk"),
    )


def _count(qs: QuerySet, distinct: str | None = None) -> Coalesce:
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    return Coalesce(
        Subquery(
            qs.order_by().values("agreement").annotate(n=counted).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def health_of(agreement: Any, today: datetime.date | None = None) -> Health:
    """The health of an agreement annotated by :func:`with_health`."""
    today = today or timezone.localdate()
    return Health(
        last_activity=agreement.last_activity,
        recent_activities=agreement.recent_activities,
        commitments=agreement.commitment_count,
        active_commitments=agreement.active_commitments,
        started_on=agreement.health_start,
        window_start=window_start(today),
        running=agreement.current_status in RUNNING_STATUSES
        and agreement.health_start is not None
        and agreement.health_start <= today,
    )


def health_for(agreement: Agreement, today: datetime.date | None = None) -> Health:
    """The health of one agreement (one query)."""
    return health_of(with_health(Agreement.objects.filter(pk=agreement.pk), today).get(), today)


def dormant(
    qs: AgreementQuerySet, today: datetime.date | None = None, *, public_only: bool = False
) -> QuerySet:
    """The dormant agreements of ``qs``, annotated as by :func:`with_health`: the same rule as
    :attr:`Health.dormant`, in SQL."""
    today = today or timezone.localdate()
    since = window_start(today)
    recent = _activities(public_only).filter(
        agreement=OuterRef("pk"), starts_on__gte=since, starts_on__lte=today
    )
    return with_health(qs, today, public_only=public_only).filter(
        ~Exists(recent),
        Q(current_status__in=RUNNING_STATUSES),
        health_start__lt=since,
    )


def health_sentence(health: Health) -> str:
    """The health in one sentence, in the active language: "3 of 5 commitments active in the
    last 12 months; last activity 14 March 2026" (the renewal reminders, the agreement page)."""
    parts = []
    if health.commitments:
        parts.append(
            ngettext(
                "%(active)s of %(total)s commitment active in the last %(months)s months",
                "%(active)s of %(total)s commitments active in the last %(months)s months",
                health.commitments,
            )
            % {
                "active": health.active_commitments,
                "total": health.commitments,
                "months": dormant_months(),
            }
        )
    if health.last_activity is not None:
        parts.append(
            _("last activity %(date)s") % {"date": date_format(health.last_activity, "DATE_FORMAT")}
        )
    else:
        parts.append(_("no activity recorded"))
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:]
