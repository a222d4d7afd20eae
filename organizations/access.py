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

from django.db.models import Exists, OuterRef, Q

from core.access import (
    NOTHING,
    may_change_facts,
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
        # At a managed organisation, or entered for a partner by one (until the partner adopts
        # it: Affiliation.entered_by).
        return Q(
            Exists(
                Affiliation.objects.filter(
                    Q(organization__in=ids) | Q(entered_by__in=ids), person=OuterRef("pk")
                )
            )
        )

    def public(ids: frozenset[int]) -> Q:
        return Q(Exists(Affiliation.objects.publishable().filter(person=OuterRef("pk"))))

    register_scope(
        Organization,
        visible=lambda ids: Q(),
        editable=lambda ids: Q(pk__in=ids),
        choices=lambda ids: Q(),  # any organisation may be a party, an organiser, a host
    )
    register_scope(
        Person,
        visible=lambda ids: public(ids) | affiliated(ids),
        editable=lambda ids: affiliated(ids),
        choices=lambda ids: public(ids) | affiliated(ids),
    )
    register_scope(
        Affiliation,
        visible=lambda ids: (
            Q(pk__in=Affiliation.objects.publishable().values("pk"))
            | Q(organization__in=ids)
            | Q(entered_by__in=ids)
        ),
        editable=lambda ids: Q(organization__in=ids) | Q(entered_by__in=ids),
        choices=lambda ids: (
            Q(pk__in=Affiliation.objects.publishable().values("pk")) | Q(organization__in=ids)
        ),
    )
    register_scope(ClusterManager, visible=lambda ids: NOTHING, editable=lambda ids: NOTHING)


def may_invite_manager(user: Any, organization: Any) -> bool:
    """Who may invite a colleague to manage ``organization`` (``organizations/invitations.py``):
    whoever may change the organisation — an administrator, or one of its own managers; not a
    translator, who changes its texts only (core/access.py)."""
    return may_change_facts(user) and bool(
        user.has_perm("organizations.change_organization", organization)
    )


# Where a manager may give a person a position: the organisations they manage, and their
# partners — the other parties of agreements they edit (partnerships registers the rule), so
# that the recording side can give the partner's signatory a position there.
_partner_rules: list[Any] = []


def register_partner_organizations(rule: Any) -> None:
    """``rule(ids)``: a ``Q`` on organisations that are partners of the organisations ``ids``."""
    _partner_rules.append(rule)


def affiliation_organizations(user: Any, queryset: Any) -> Any:
    """Of ``queryset`` (organisations), those ``user`` may give a person a position at."""
    from core import access

    if access.is_administrator(user):
        return queryset
    ids = access.managed_organization_ids(user)
    condition = Q(pk__in=ids)
    for rule in _partner_rules:
        condition |= rule(ids)
    return queryset.filter(condition)


def mark_entered_for_partners(user: Any, affiliations: list[Any]) -> None:
    """New positions ``user`` gives at a partner's organisation (not one they manage) are marked
    as entered for the partner by the first organisation they manage (``entered_by``)."""
    from core import access

    ids = access.managed_organization_ids(user)
    if not ids:
        return
    for affiliation in affiliations:
        if affiliation.organization_id and affiliation.organization_id not in ids:
            affiliation.entered_by_id = min(ids)
