"""This app's part of the rights (the mechanism and the roles are in ``core/access.py``).

Who manages what: a staff account manages the organisations it is linked to by
:class:`~organizations.models.ClusterManager` rows (:func:`managed_organizations`, registered
with core at start-up).

This app's scopes (partnerships registers its own in ``partnerships/access.py``):

- an **organisation**: every profile is visible (they are public); editable if managed;
- a **person** belongs to the organisations they are affiliated with (now or formerly): visible
  if public (a publishable contact point) or affiliated with a managed organisation, editable if
  affiliated with one. A person with no affiliation yet belongs to the parties of the agreements
  that name them (partnerships widens the scope, ``partnerships/access.py``), otherwise to
  administrators only; one named nowhere yet (just created with "+") may still be picked, to be
  named on the agreement being recorded;
- an **affiliation** (contact point): visible if publishable or at a managed organisation;
  editable if at a managed organisation;
- a **cluster manager** link: administrators only (a manager cannot grant themselves rights).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from core.access import (
    NOTHING,
    register_managed_organizations,
    register_scope,
)


def managed_organizations(user: Any) -> Iterable[int]:
    """The ids of the organisations ``user`` manages, from its ``ClusterManager`` rows (one
    query; ``core.access.managed_organization_ids`` remembers the answer on the user)."""
    from organizations.models import ClusterManager

    return ClusterManager.objects.filter(user=user).values_list("organization_id", flat=True)


def register_scopes() -> None:
    """Who manages what, and this app's scopes; called once from ``OrganizationsConfig.ready()``."""
    from organizations.models import Affiliation, ClusterManager, Organization, Person

    register_managed_organizations(managed_organizations)

    def affiliated(ids: frozenset[int]) -> Q:
        return Q(pk__in=Affiliation.objects.filter(organization__in=ids).values("person"))

    register_scope(
        Organization,
        visible=lambda ids: Q(),
        editable=lambda ids: Q(pk__in=ids),
        choices=lambda ids: Q(),  # any organisation may be a party, an organiser, a host
    )
    register_scope(
        Person,
        visible=lambda ids: Q(pk__in=Person.objects.public().values("pk")) | affiliated(ids),
        editable=lambda ids: affiliated(ids),
        choices=lambda ids: Q(pk__in=Person.objects.public().values("pk")) | affiliated(ids),
    )
    register_scope(
        Affiliation,
        visible=lambda ids: (
            Q(pk__in=Affiliation.objects.publishable().values("pk")) | Q(organization__in=ids)
        ),
        editable=lambda ids: Q(organization__in=ids),
        choices=lambda ids: (
            Q(pk__in=Affiliation.objects.publishable().values("pk")) | Q(organization__in=ids)
        ),
    )
    register_scope(ClusterManager, visible=lambda ids: NOTHING, editable=lambda ids: NOTHING)


def may_invite_manager(user: Any, organization: Any) -> bool:
    """Who may invite a colleague to manage ``organization`` (``organizations/invitations.py``):
    whoever may change the organisation — an administrator, or one of its own managers."""
    return bool(user.has_perm("organizations.change_organization", organization))
