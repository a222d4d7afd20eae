from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from core.deletion import register_deletion_guard
        from organizations.privacy import register_person_data
        from partnerships import access, files, history, privacy

        access.register_scopes()

        register_deletion_guard(history.agreements_in_history)
        register_person_data(privacy.person_agreement_data)
        files.connect()
