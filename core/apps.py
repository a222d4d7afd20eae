from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The admin's heading of the kernel's own models (staff accounts' preferences).
    verbose_name = _("Cluster Partnership Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import caching

        # After every migrate (and flush), whichever app it migrated: the content-generation
        # triggers on every tracked table of every app. Sent once per app with models; this
        # receiver listens to core's, which comes after every migration has run.
        post_migrate.connect(caching.install_generation_triggers, sender=self)

        # The admin of core's own model; here, not on import of core.admin (which holds the
        # site class that admin.site imports: see core/admin/__init__.py).
        # Each staff member's time zone, into the session at login (core/timezones.py).
        from django.contrib.auth.signals import user_logged_in

        from core.admin import preferences  # noqa: F401 - registers on import
        from core.timezones import remember_time_zone

        user_logged_in.connect(remember_time_zone, dispatch_uid="core.remember_time_zone")
