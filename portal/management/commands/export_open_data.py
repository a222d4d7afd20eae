"""``manage.py export_open_data``: the whole-portal open-data export (portal/open_data/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandParser

from portal import open_data


class Command(BaseCommand):
    help = (
        "Write the public data as one JSON file (Popolo / schema.org terms) and a CSV data "
        "package (datapackage.json) into the storage, under open-data/<timestamp>/; the page "
        "/<lang>/open-data/ offers the newest complete run. Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.PORTAL_PUBLIC_URL,
            help="The portal's address, for the page links in the files "
            "(default: PORTAL_PUBLIC_URL, now %(default)r).",
        )
        parser.add_argument(
            "--output",
            metavar="DIR",
            help="Write into this local directory instead of the configured storage "
            "(open-data/<timestamp>/ below it).",
        )

    def handle(
        self, *args: Any, base_url: str, output: str | None, verbosity: int, **options: Any
    ) -> None:
        def say(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(line)

        storage = FileSystemStorage(location=output) if output else None
        result = open_data.export(base_url=base_url, storage=storage, say=say)
        total = sum(result.files.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {sum(result.rows.values())} rows in {len(result.rows)} tables "
                f"({total} bytes) to {result.directory}/"
            )
        )
