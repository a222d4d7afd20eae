"""``manage.py setup_roles``: the "Cluster managers", "Translators" and "Portal administrators"
groups."""

from django.core.management.base import BaseCommand

from portal.roles import setup_roles


class Command(BaseCommand):
    help = (
        'Create or update the groups "Cluster managers", "Translators" and "Portal '
        'administrators" with their model permissions (portal/roles.py). Idempotent. Link a '
        "manager or a translator to their organisations on the organisation's admin page "
        "(administrators only)."
    )

    def handle(self, *args, **options) -> None:
        for name, count in setup_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
