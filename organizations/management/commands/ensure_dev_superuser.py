"""``manage.py ensure_dev_superuser``: user ``admin`` / password ``admin``, development only."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"  # well known on purpose: the command refuses to run unless DEBUG is on


class Command(BaseCommand):
    help = (
        "Create or reset the superuser 'admin' with password 'admin'. Development only: refuses "
        "to run unless DEBUG is true."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_superuser only runs with DEBUG = True (development settings): it sets "
                "a well-known password. Use `manage.py createsuperuser` elsewhere."
            )
        port = os.environ.get("PORT", "").strip() or "8000"
        user_model = get_user_model()
        user, created = user_model._default_manager.get_or_create(
            **{user_model.USERNAME_FIELD: USERNAME}
        )
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        self.stdout.write(f"{'Created' if created else 'Reset'} the development superuser.")
        self.stdout.write(
            f"Admin: http://127.0.0.1:{port}/admin/ — user {USERNAME}, password {PASSWORD} "
            "(development only)"
        )
