"""``manage.py restore DIR [--yes]``: bring back a backup made by ``manage.py backup``."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal import backups


class Command(BaseCommand):
    help = (
        "Restore a backup directory (made by `manage.py backup`) into the database and "
        "MEDIA_ROOT, then check every table's row count against the backup's manifest. "
        "Refuses a database that is not empty unless --yes (or confirmed interactively)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the backup directory")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace the contents of a non-empty database without asking",
        )
        parser.add_argument("--database", default="default", help="database alias (default)")

    def handle(self, *args, directory, yes, database, **options):
        target = backups.Target.from_settings(connections[database].settings_dict)
        # Django's own connection is not used for the restore: close it so that it holds no lock.
        connections[database].close()
        try:
            backups.read_manifest(directory)
            overwrite = yes or self._confirm(target)
            backups.restore(
                directory,
                target=target,
                media_root=Path(settings.MEDIA_ROOT),
                overwrite=overwrite,
                say=self.stdout.write,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error

    def _confirm(self, target: backups.Target) -> bool:
        """Ask before replacing a database that has tables; never asks without a terminal."""
        tables = backups.existing_tables(target)
        existing_media = backups.media_files(Path(settings.MEDIA_ROOT))
        if not tables and not existing_media:
            return False
        if not sys.stdin.isatty():
            return False  # restore() refuses a non-empty database with a clear message
        self.stdout.write(
            self.style.WARNING(
                f"Database {target.name!r} has {len(tables)} tables and MEDIA_ROOT has "
                f"{len(existing_media)} files: the backup will replace them."
            )
        )
        answer = input("Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled: nothing was changed.")
        return True
