"""Send the daily digests of partners' notices: for cron, once a day.

    manage.py send_digests            # one e-mail per manager who chose "once a day"
    manage.py send_digests --dry-run  # list what would be sent; send and write nothing

Each notice goes out once (``partnerships/digests.py``): running it twice, or two at once, is
harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partnerships import digests


class Command(BaseCommand):
    help = "Send the daily digests of partners' notices to those who chose them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digests.send_digests(dry_run=options["dry_run"])
        for line in run.lines:
            self.stdout.write(line)
        self.stdout.write(str(run))
