"""``manage.py roles_matrix``: who may do what, role × model × action (README)."""

from django.core.management.base import BaseCommand

from portal.roles import roles_matrix


class Command(BaseCommand):
    help = "Print the role matrix: for each model, what each role may view, add, change, delete."

    def handle(self, *args, **options) -> None:
        self.stdout.write(roles_matrix())
