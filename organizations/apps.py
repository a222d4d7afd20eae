from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations and regions")

    def ready(self) -> None:
        from organizations import access, deletion

        access.register_scopes()

        deletion.connect()

        from organizations import admin_autocomplete

        admin_autocomplete.install()

        from django.db.models.signals import post_migrate

        from organizations import generation

        # After every migrate: the content-generation triggers on every tracked table.
        post_migrate.connect(generation.install_triggers, sender=self)

        from organizations import admin_widgets

        admin_widgets.install()
