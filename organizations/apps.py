from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations and regions")

    def ready(self) -> None:
        from organizations import deletion

        deletion.connect()

        from organizations import admin_autocomplete

        admin_autocomplete.install()

        from organizations import admin_widgets

        admin_widgets.install()
