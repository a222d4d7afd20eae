from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    default = True

    def ready(self) -> None:
        from organizations.privacy import register_after_erase
        from portal import checks, open_data, security  # noqa: F401 - checks registers itself

        security.connect_signals()
        register_after_erase(open_data.republish_after_erase)
        self.install_database_deadline()

    @staticmethod
    def install_database_deadline() -> None:
        from django.conf import settings

        from portal import db_deadline

        timeout_ms = getattr(settings, "PORTAL_DB_CLIENT_TIMEOUT_MS", 0)
        if timeout_ms:
            db_deadline.install(timeout_ms)


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose ``admin.site`` is the portal's: the kernel's site
    (``core.admin.sites.PortalAdminSite``) with the second factor and its enrolment page."""

    default = False  # this module's default config is PortalConfig
    default_site = "portal.two_factor.TwoFactorAdminSite"
