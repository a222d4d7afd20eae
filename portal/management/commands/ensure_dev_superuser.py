"""``manage.py ensure_dev_superuser``: a development login ``admin`` / ``admin``, when safe.

``make run`` calls it. It creates the superuser ``admin`` with password ``admin`` only when:

- ``DEBUG`` is on (otherwise it refuses with an error), and
- no superuser exists yet, and
- the database is the embedded one (``DATABASE_URL`` unset) — or ``--allow-database-url`` says
  that the ``DATABASE_URL`` server is a development database too.

It never changes an existing user, and always says what it did.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"  # well known on purpose: only for a throw-away development database  # noqa: S105 - development-only known login, refused without DEBUG
FLAG = "--allow-database-url"


class Command(BaseCommand):
    help = (
        "Development only (refuses unless DEBUG): create the superuser 'admin' with password "
        "'admin' when no superuser exists and the database is the embedded one. Never changes "
        "an existing user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            FLAG,
            action="store_true",
            help="Create the account even though DATABASE_URL is set (a development server).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_superuser only runs with DEBUG = True (development settings): it sets "
                "a well-known password. Use `manage.py createsuperuser` elsewhere."
            )
        user_model = get_user_model()
        username_field = user_model.USERNAME_FIELD
        users = user_model._default_manager
        superusers = list(users.filter(is_superuser=True).order_by(username_field)[:4])
        if superusers:
            names = [user.get_username() for user in superusers]
            listed = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            self.stdout.write(f"A superuser already exists ({listed}): nothing changed.")
            if any(self._is_dev_login(user) for user in superusers):
                self._print_dev_login()
            else:
                self.stdout.write(f"Admin: {self._admin_url()} — log in with that account.")
            return
        if os.environ.get("DATABASE_URL", "").strip() and not options["allow_database_url"]:
            self.stdout.write(
                "DATABASE_URL is set: not creating a development account on that database; "
                f"pass {FLAG} to do it, or run `manage.py createsuperuser`."
            )
            return
        if users.filter(**{username_field: USERNAME}).exists():
            self.stdout.write(
                f"A user {USERNAME} exists but is not a superuser: nothing changed. "
                "Run `manage.py createsuperuser` for an admin account."
            )
            return
        users.create_superuser(**{username_field: USERNAME}, email="", password=PASSWORD)
        self.stdout.write(f"Created the development superuser {USERNAME}.")
        self._print_dev_login()

    def _print_dev_login(self) -> None:
        self.stdout.write(
            f"Admin: {self._admin_url()} — user {USERNAME}, password {PASSWORD} (development only)"
        )

    @staticmethod
    def _is_dev_login(user) -> bool:
        return user.get_username() == USERNAME and user.is_active and user.check_password(PASSWORD)

    @staticmethod
    def _admin_url() -> str:
        port = os.environ.get("PORT", "").strip() or "8000"
        return f"http://127.0.0.1:{port}/admin/"
