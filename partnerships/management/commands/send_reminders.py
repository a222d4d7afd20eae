"""Send the renewal reminders due today: for cron, once a day.

    manage.py send_reminders                      # send what is due today
    manage.py send_reminders --today 2026-05-01   # as if it were that day
    manage.py send_reminders --dry-run            # list what would be sent; send and write nothing
    manage.py send_reminders --enqueue            # hand the run to the task worker (db_worker)

Each reminder is sent once only, whatever runs when (``partnerships/reminders.py``): running the
command twice a day, or beside the worker, is harmless.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerships import reminders
from partnerships.tasks import send_due_reminders


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today {value!r}: give a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Send the renewal reminders due today (notice deadlines and ends of term)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=iso_date, help="The day to run for (YYYY-MM-DD); default: today."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the run for the task worker (manage.py db_worker) instead.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date | None = options["today"]
        if options["enqueue"]:
            if options["dry_run"]:
                raise CommandError("--dry-run runs here: leave out --enqueue.")
            result = send_due_reminders.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Enqueued the reminder run: task {result.id} ({result.status}).")
            return
        summary = reminders.send_due_reminders(today=today, dry_run=options["dry_run"])
        if options["verbosity"] >= 1:
            for line in summary.lines:
                self.stdout.write(line)
        self.stdout.write(str(summary))
