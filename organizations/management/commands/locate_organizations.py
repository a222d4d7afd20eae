"""``manage.py locate_organizations [--all]``: map positions from the offline gazetteer."""

import time

from django.core.management.base import BaseCommand, CommandParser

from organizations.geocoding import organizations_locate, regions_fill_everyday_names

NAMES_LISTED = 20


class Command(BaseCommand):
    help = (
        "Place organisations without a map position: by their locality (or city region) in the "
        "offline gazetteer, else at their region's centre (approximate). --all places again "
        "every organisation whose position was not entered by hand. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            dest="redo",
            help="Also place again organisations placed before (positions entered by hand are "
            "always kept).",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, redo: bool, batch_size: int, **options) -> None:
        started = time.monotonic()
        self.stdout.write("Reading the gazetteer ...")
        named = regions_fill_everyday_names()
        self.stdout.write(f"Cities given their everyday names (Japanese name, aliases): {named}")
        result = organizations_locate(
            redo=redo,
            batch_size=batch_size,
            progress=lambda line: self.stdout.write(f"  {line}"),
        )
        self.stdout.write(
            f"Placed by locality: {result.by_locality}\n"
            f"Placed at the centre of their region (approximate): {result.by_region}\n"
            f"Not placed: {len(result.not_placed)}"
        )
        for name in result.not_placed[:NAMES_LISTED]:
            self.stdout.write(f"  - {name}")
        if len(result.not_placed) > NAMES_LISTED:
            self.stdout.write(f"  … and {len(result.not_placed) - NAMES_LISTED} more")
        if result.region_centres:
            self.stdout.write(f"Region centres filled from the gazetteer: {result.region_centres}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.changed} positions written in {time.monotonic() - started:.1f} s."
            )
        )
