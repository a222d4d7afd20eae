from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The admin's heading of the kernel's own models (staff accounts' preferences).
    verbose_name = _("Cluster Partnership Portal")
