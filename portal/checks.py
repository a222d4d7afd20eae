"""System checks of the portal's own settings.

Deployment checks (``manage.py check --deploy``, run by ``make check`` with the production
settings) name what a production installation must configure beyond Django's own list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

OPERATOR_SETTINGS = ("PORTAL_OPERATOR_NAME", "PORTAL_OPERATOR_EMAIL")


@checks.register(checks.Tags.security, deploy=True)
def check_privacy_operator(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The privacy notice (/<lang>/privacy/) must name who answers requests about personal data:
    a public installation without them shows a placeholder where the law wants a contact."""
    missing = [name for name in OPERATOR_SETTINGS if not getattr(settings, name, "").strip()]
    if not missing:
        return []
    return [
        checks.Error(
            "The privacy notice names no operator: {} {} unset.".format(
                " and ".join(missing), "is" if len(missing) == 1 else "are"
            ),
            hint=(
                "Set PORTAL_OPERATOR_NAME (the organisation running the portal) and "
                "PORTAL_OPERATOR_EMAIL (the address that answers privacy requests) in the "
                "environment."
            ),
            id="portal.E001",
        )
    ]
