from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    default = True

    def ready(self) -> None:
        from portal import checks, security  # noqa: F401 - checks registers itself on import

        security.connect_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose ``admin.site`` is the portal's: the kernel's site
    (``core.admin.sites.PortalAdminSite``) with the second factor and its enrolment page."""

    default = False  # this module's default config is PortalConfig
    default_site = "portal.two_factor.TwoFactorAdminSite"
