"""Background tasks (Django's tasks framework, ``django.tasks``): the database backend of
django-tasks-db stores what is enqueued, and ``manage.py db_worker`` runs it.

``send_due_reminders`` is the daily reminder run (``partnerships/reminders.py``). Enqueue it with
``manage.py send_reminders --enqueue`` (from cron, once a day); the worker then sends the mails
outside any request. Running it twice on a day, or in parallel, sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import task

from partnerships import notifications, reminders


@task
def send_due_reminders(today: str | None = None) -> dict[str, Any]:
    """Send the renewal reminders due on ``today`` (ISO date; default: the local date when the
    worker runs it). Returns the run's summary (stored as the task's result)."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.send_due_reminders(today=day).as_dict()


@task
def send_agreement_notice(
    agreement_id: int,
    event: str,
    actor_id: int | None = None,
    organization_id: int | None = None,
    comment_id: int | None = None,
    occurrence: str | None = None,
) -> int:
    """Tell the parties' managers of a step in an agreement's publication (see
    ``partnerships/notifications.py``); returns the number of mails sent."""
    return notifications.send_notice(
        agreement_id=agreement_id,
        event=event,
        actor_id=actor_id,
        organization_id=organization_id,
        comment_id=comment_id,
        occurrence=occurrence,
    )
