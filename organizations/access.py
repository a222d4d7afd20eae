"""Who may do what: the organisation scope of a user's rights, defined once.

Roles: portal administrators (superusers, or members of the "Portal administrators" group),
cluster managers (staff accounts linked to organisations through
:class:`~organizations.models.ClusterManager`), and the public. Django's groups and model
permissions remain the basis (a manager without ``change_agreement`` changes no agreement); the
functions here add the organisation scope. The admin, the public views and the API all ask here.
"""

from __future__ import annotations

from typing import Any

ADMINISTRATORS_GROUP = "Portal administrators"

_CACHE_ATTRIBUTE = "_managed_organization_ids"


def is_administrator(user: Any) -> bool:
    """A portal administrator: may do everything their permissions allow, on every record."""
    if not (user and user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=ADMINISTRATORS_GROUP).exists()


def managed_organization_ids(user: Any) -> frozenset[int]:
    """The ids of the organisations ``user`` manages (empty for anonymous users and
    inactive accounts); one query per user object, then remembered on it."""
    if not (user and user.is_active and user.is_authenticated and user.is_staff):
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from organizations.models import ClusterManager

        cached = frozenset(
            ClusterManager.objects.filter(user=user).values_list("organization_id", flat=True)
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached
