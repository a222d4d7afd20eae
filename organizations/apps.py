from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations and regions")

    def ready(self) -> None:
        from core.deletion import guard_deletion
        from organizations import access
        from organizations.models import Organization, Person

        access.register_scopes()

        # Refused while an agreement's history names them (partnerships registers the guard).
        guard_deletion(Organization, Person)
