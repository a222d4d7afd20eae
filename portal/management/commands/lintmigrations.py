"""``manage.py lintmigrations``: django-migration-linter, a development tool (``make lint``).

The linter is not put in ``INSTALLED_APPS``: its app would also replace ``makemigrations``.
This command is its ``lintmigrations``; the configuration (what to flag, which landed migrations
are ignored and why) is in ``pyproject.toml`` under ``[tool.django_migration_linter]``.

One difference: the linter gets each migration's SQL from ``sqlmigrate``, which loads the
migration graph without squashed migrations. organizations' ``0001_initial`` and ``0002_search``
exist only as replaced by ``0001_squashed_0002_search`` (the files are gone; partnerships still
names ``0001_initial`` as its dependency, which the squash resolves), so that graph does not
load. The SQL is collected here from the graph *with* the squash, as ``migrate`` applies it.
"""

from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

try:
    from django_migration_linter import migration_linter
    from django_migration_linter.management.commands import lintmigrations
except ImportError:  # production installs no development tools

    class Command(BaseCommand):
        help = "Lint the migrations (needs the dev extra: django-migration-linter)."

        def handle(self, *args, **options):
            raise CommandError("django-migration-linter is not installed: run `make install`.")

else:

    class PortalMigrationLinter(migration_linter.MigrationLinter):
        def get_sql(self, app_label: str, migration_name: str) -> list[str]:
            loader = MigrationLoader(connections[self.database], replace_migrations=True)
            migration = loader.get_migration_by_prefix(app_label, migration_name)
            plan = [(loader.graph.nodes[(app_label, migration.name)], False)]
            return "\n".join(loader.collect_sql(plan)).splitlines()

    class Command(lintmigrations.Command):  # type: ignore[no-redef]  # one of two, by what is installed
        def handle(self, *args, **options):
            with mock.patch.object(lintmigrations, "MigrationLinter", PortalMigrationLinter):
                return super().handle(*args, **options)
