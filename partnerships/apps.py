from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from core.deletion import register_deletion_guard
        from core.history import after_restore
        from organizations.filters import register_cooperation
        from organizations.privacy import register_person_data
        from organizations.results import register_result_annotator
        from partnerships import access, files, history, privacy, selectors, services
        from partnerships.models import Agreement

        access.register_scopes()

        register_deletion_guard(history.agreements_in_history)
        register_person_data(privacy.person_agreement_data)
        register_cooperation(selectors.organizations_cooperating_with)
        register_result_annotator(selectors.attach_cooperation)
        files.connect()
        # A restore is an edit: the key-terms refresh that follows every save of the agreement
        # page (a changed key term sends a published agreement back to review).
        after_restore(
            Agreement,
            lambda agreement, user: services.agreement_refresh_terms_version(
                agreement=agreement, user=user
            ),
        )
