"""``manage.py load_demo``: ISO regions plus everything the 2015 BioM press release records."""

import time
from collections import Counter

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from organizations.geocoding import organizations_locate
from partnerships import demo


class Command(BaseCommand):
    help = (
        "Load ISO regions (all countries, or --countries) and the demo data from the BioM press "
        "release of 4 November 2015. Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--countries",
            default="",
            help="Only load these ISO countries (comma-separated); DE and JP are always loaded. "
            "Default: all countries (about 5,300 regions, under a second).",
        )

    def handle(self, *args, countries: str, **options) -> None:
        started = time.monotonic()
        codes = [c.strip().upper() for c in countries.split(",") if c.strip()]
        if codes:
            codes = sorted(set(codes) | set(demo.DEMO_COUNTRIES))
        call_command("load_regions", countries=",".join(codes), stdout=self.stdout)
        call_command("setup_roles", stdout=self.stdout)  # the staff groups (portal/roles.py)

        self.stdout.write("Demo data from the press release of 4 November 2015:")
        actions = demo.load(log=self.stdout.write)
        self.stdout.write(self._summary(actions))
        # Map positions from the gazetteer; --all semantics, so that a restored locality or
        # region moves the organisation back too. Positions entered by hand are kept.
        located = organizations_locate(redo=True)
        self.stdout.write(
            f"  map positions: {located.by_locality} by locality, {located.by_region} at the "
            f"centre of their region, {len(located.not_placed)} not placed"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))

    @staticmethod
    def _summary(actions: Counter) -> str:
        labels = dict.fromkeys(label for label, _ in actions)
        lines = []
        for label in labels:
            parts = [
                f"{actions[(label, a)]} {a}"
                for a in ("created", "updated", "unchanged")
                if actions[(label, a)]
            ]
            lines.append(f"  {label}: {', '.join(parts)}")
        return "\n".join(lines)
