"""``manage.py load_regions [--countries DE,JP]``: ISO 3166 countries and subdivisions."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from organizations.iso3166 import regions_load_iso


class Command(BaseCommand):
    help = (
        "Create or update countries (ISO 3166-1) and subdivisions (ISO 3166-2) from pycountry, "
        "with names in every language of the settings. Idempotent; never deletes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--countries",
            default="",
            help="Comma-separated ISO 3166-1 alpha-2 codes to load (default: all), e.g. DE,JP",
        )

    def handle(self, *args, countries: str, **options) -> None:
        codes = [c.strip() for c in countries.split(",") if c.strip()] or None
        started = time.monotonic()
        try:
            result = regions_load_iso(
                country_codes=codes, progress=lambda line: self.stdout.write(f"  {line}")
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {result.total} ISO regions ({result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
