"""``manage.py backup [--output DIR]``: the database and the uploaded files, in one directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and MEDIA_ROOT into one directory, "
        "var/backups/<timestamp>/ by default, with a manifest of row counts per table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the backup directory to create (new or empty); default var/backups/<UTC time>",
        )
        parser.add_argument("--database", default="default", help="database alias (default)")

    def handle(self, *args, output, database, **options):
        directory = output or backups.default_directory()
        try:
            backups.backup(directory, using=database, say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
