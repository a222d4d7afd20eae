"""Settings for the type checker only (``[tool.django-stubs]`` in pyproject.toml).

django-stubs' mypy plugin imports the project and reads each model's managers at runtime to type
``objects``, ``_default_manager`` and the reverse relations. modeltranslation replaces those
managers with classes it builds inside a function (``NewMultilingualManager``), which no type
checker can name, so every manager and related manager came out unresolved
(typeddjango/django-stubs#1023). Here that patch is switched off, so the plugin sees the managers
the models declare. The translated fields (``name_en`` …) are still added; the multilingual
manager only rewrites lookups at runtime and changes no type.
"""

from __future__ import annotations

from typing import Any

from modeltranslation.apps import ModeltranslationConfig

from portal.settings.base import *  # noqa: F403
from portal.settings.base import INSTALLED_APPS


class ModeltranslationWithDeclaredManagers(ModeltranslationConfig):
    def ready(self) -> None:
        # Imported here, after the settings are configured: modeltranslation reads them on import.
        from modeltranslation import translator

        def keep_declared_manager(manager: Any) -> None:
            pass

        translator.patch_manager_class = keep_declared_manager
        super().ready()


INSTALLED_APPS = [
    f"{__name__}.ModeltranslationWithDeclaredManagers" if app == "modeltranslation" else app
    for app in INSTALLED_APPS
]
