"""Who may do what: the organisation scope of a user's rights, the mechanism, defined once.

Roles: portal administrators (superusers, or members of the "Portal administrators" group),
cluster managers (staff accounts that manage organisations, members of the "Cluster managers"
group), translators (members of the "Translators" group, linked to the organisations they
translate for as managers are: the same scope, but only the texts — :func:`may_change_field`),
and the public. Django's groups and model permissions remain the basis (a manager without
``change_agreement`` changes no agreement); this module adds the organisation scope. The admin,
the public views and the API all ask here, never view by view.

Which organisations a user manages is the organizations app's to say (its ``ClusterManager``
rows): it registers the answer with :func:`register_managed_organizations` at start-up, so that
this module imports no app. Every scoped model registers a :class:`Scope` once, from its own app
(``organizations/access.py``, ``partnerships/access.py``) — which rows a manager may *see* and
which they may *edit*, as ``Q`` objects built from the ids of the organisations they manage. From
it come, for querysets, :func:`visible` and :func:`editable`; for one object, :func:`can_view` and
:func:`can_edit`; and the object permissions (``user.has_perm("partnerships.change_agreement",
agreement)``, through :class:`ObjectPermissionBackend`): the model permission *and* the scope.
Administrators are not scoped. Each app's own questions about users ("who may publish this
agreement?") are answered by its ``access`` module, built on these.
A model without a scope (regions, focus areas: reference data) follows its model permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

ADMINISTRATORS_GROUP = "Portal administrators"
MANAGERS_GROUP = "Cluster managers"
TRANSLATORS_GROUP = "Translators"

_CACHE_ATTRIBUTE = "_managed_organization_ids"

NOTHING = Q(pk__in=[])


def is_administrator(user: Any) -> bool:
    """A portal administrator: may do everything their permissions allow, on every record."""
    if not (user and user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return ADMINISTRATORS_GROUP in _group_names(user)


def _group_names(user: Any) -> frozenset[str]:
    """The names of ``user``'s groups: one query per user object, then remembered on it (the
    administrator check and the translator check share it)."""
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


# --- Translators: the texts, not the facts ----------------------------------------------------


def translates_only(user: Any) -> bool:
    """A translator and nothing more: in the "Translators" group, neither a cluster manager nor
    an administrator. Within their organisation scope they change the texts of the records
    (:func:`may_change_field`) and take no other step — no publication step, approval, restore,
    invitation, record added or deleted (their group holds no add or delete permission)."""
    if not (user and user.is_active and user.is_authenticated) or is_administrator(user):
        return False
    groups = _group_names(user)
    return TRANSLATORS_GROUP in groups and MANAGERS_GROUP not in groups


def may_change_facts(user: Any) -> bool:
    """Whether ``user`` may take steps beyond editing texts (see :func:`translates_only`)."""
    return not translates_only(user)


def translated_text_columns(model: type[models.Model]) -> frozenset[str]:
    """The language columns of ``model``'s translated texts (``title_en``, ``title_de``, …,
    ``summary_ja`` …): what a translator may change. A text kept in its original language
    (``original_text``, ``original_title``) is what was said or signed, not a translation: it
    is not among them."""
    from modeltranslation.translator import NotRegistered, translator
    from modeltranslation.utils import get_translation_fields

    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return frozenset()
    return frozenset(
        column
        for field in options.fields  # type: ignore[attr-defined]  # set by modeltranslation
        for column in get_translation_fields(field)
    )


def may_change_field(user: Any, model: type[models.Model], field_name: str) -> bool:
    """The one rule of which fields of a record ``user`` may change, once they may change the
    record (its permission and scope): every field, except for a translator
    (:func:`translates_only`), who changes only the language columns of its translated texts —
    not dates, parties, term, notice, publication, people, documents' files or links, nor a text
    in its original language.
    Asked by the admin's forms and inlines (``core/admin/access.py``), which disable every
    other field: a forged POST of one keeps the stored value."""
    return may_change_facts(user) or field_name in translated_text_columns(model)


ManagedOrganizations = Callable[[Any], Iterable[int]]


def _nobody_manages_anything(user: Any) -> Iterable[int]:
    return ()


# Who manages what: registered by the organizations app (ClusterManager), see the module docstring.
_managed_organizations: ManagedOrganizations = _nobody_manages_anything


def register_managed_organizations(provider: ManagedOrganizations) -> None:
    """Let ``provider(user)`` give the ids of the organisations a staff account manages (one
    query); called once, from ``OrganizationsConfig.ready()``."""
    global _managed_organizations
    _managed_organizations = provider


def managed_organization_ids(user: Any) -> frozenset[int]:
    """The ids of the organisations ``user`` manages (empty for anonymous users and
    inactive accounts); one query per user object, then remembered on it."""
    if not (user and user.is_active and user.is_authenticated and user.is_staff):
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(_managed_organizations(user))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


# --- Scopes ----------------------------------------------------------------------------------

ScopeRule = Callable[[frozenset[int]], Q]


@dataclass(frozen=True)
class Scope:
    """The rows of one model a cluster manager may see and edit, given the organisations they
    manage. ``choices`` are the rows they may *pick* in a form field pointing at the model
    (default: the editable rows — a signing event is added to an agreement one may edit)."""

    visible: ScopeRule
    editable: ScopeRule
    choices: ScopeRule | None = None
    extra_choices: list[ScopeRule] = field(default_factory=list)
    extra_visible: list[ScopeRule] = field(default_factory=list)
    extra_editable: list[ScopeRule] = field(default_factory=list)

    def visible_condition(self, ids: frozenset[int]) -> Q:
        condition = self.visible(ids)
        for rule in self.extra_visible:
            condition |= rule(ids)
        return condition

    def editable_condition(self, ids: frozenset[int]) -> Q:
        condition = self.editable(ids)
        for rule in self.extra_editable:
            condition |= rule(ids)
        return condition


_SCOPES: dict[type[models.Model], Scope] = {}

# "app_label.action_model" -> the scope check of one object (can_view or can_edit).
_OBJECT_PERMISSIONS: dict[str, Callable[[Any, models.Model], bool]] = {}


def register_scope(
    model: type[models.Model],
    *,
    visible: ScopeRule,
    editable: ScopeRule,
    choices: ScopeRule | None = None,
) -> None:
    """Declare the scope of ``model`` and the object permissions (view, change, delete) that
    follow from it. Called once per model, from the app's ``access`` module."""
    _SCOPES[model] = Scope(visible=visible, editable=editable, choices=choices)
    opts = model._meta
    for action, check in (("view", can_view), ("change", can_edit), ("delete", can_edit)):
        _OBJECT_PERMISSIONS[f"{opts.app_label}.{action}_{opts.model_name}"] = check


def extend_choices(model: type[models.Model], rule: ScopeRule) -> None:
    """Let a higher app widen the rows of ``model`` a manager may pick (people who signed an
    agreement the manager edits may be picked again on it)."""
    _SCOPES[model].extra_choices.append(rule)


def extend_scope(
    model: type[models.Model],
    *,
    visible: ScopeRule | None = None,
    editable: ScopeRule | None = None,
) -> None:
    """Let a higher app widen the rows of ``model`` a manager may see and edit (a person with no
    affiliation yet belongs to the parties of the agreements that name them)."""
    if visible is not None:
        _SCOPES[model].extra_visible.append(visible)
    if editable is not None:
        _SCOPES[model].extra_editable.append(editable)


def scope_of(model: type[models.Model]) -> Scope | None:
    return _SCOPES.get(model)


def _unscoped(user: Any, model: type[models.Model]) -> bool:
    return is_administrator(user) or model not in _SCOPES


def _filter(qs: models.QuerySet, condition: Q) -> models.QuerySet:
    # Conditions spanning to-many relations are written as ``pk__in`` subqueries by the scopes,
    # so a row is never listed twice.
    return qs.filter(condition)


def visible(user: Any, qs: models.QuerySet) -> models.QuerySet:
    """The rows of ``qs`` that ``user`` may see (all of them for an administrator)."""
    if _unscoped(user, qs.model):
        return qs
    return _filter(qs, _SCOPES[qs.model].visible_condition(managed_organization_ids(user)))


def editable(user: Any, qs: models.QuerySet) -> models.QuerySet:
    """The rows of ``qs`` that ``user`` may edit or delete (permissions aside)."""
    if _unscoped(user, qs.model):
        return qs
    return _filter(qs, _SCOPES[qs.model].editable_condition(managed_organization_ids(user)))


def choices(user: Any, qs: models.QuerySet) -> models.QuerySet:
    """The rows of ``qs`` that ``user`` may pick in a form field (a forged id outside them is a
    form error, "Select a valid choice")."""
    if _unscoped(user, qs.model):
        return qs
    scope = _SCOPES[qs.model]
    ids = managed_organization_ids(user)
    condition = scope.choices(ids) if scope.choices else scope.editable_condition(ids)
    for rule in scope.extra_choices:
        condition |= rule(ids)
    return _filter(qs, condition)


def _memo(obj: models.Model, key: str, compute: Callable[[], bool]) -> bool:
    cache = obj.__dict__.setdefault("_portal_access", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def can_view(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may see ``obj`` (scope only; the model permission is asked apart)."""
    if _unscoped(user, type(obj)):
        return True
    if obj.pk is None:
        return True
    return _memo(
        obj,
        f"view:{user.pk}",
        lambda: visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists(),
    )


def can_edit(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may edit or delete ``obj`` (scope only)."""
    if _unscoped(user, type(obj)):
        return True
    if obj.pk is None:
        return bool(managed_organization_ids(user))
    return _memo(
        obj,
        f"edit:{user.pk}",
        lambda: editable(user, type(obj)._default_manager.filter(pk=obj.pk)).exists(),
    )


# --- Object permissions ------------------------------------------------------------------------


class ObjectPermissionBackend:
    """``user.has_perm(perm, obj)`` for the scoped models: the model permission *and* the scope
    (:func:`can_view` for ``view_*``, :func:`can_edit` for ``change_*`` and ``delete_*``).

    Without an object, or for a permission no scope declares, it grants nothing of its own
    (Django's ``ModelBackend`` answers). The model permission is read with
    ``get_all_permissions()``, not ``has_perm()``, which would come back here and never end.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: models.Model | None = None) -> bool:
        check = _OBJECT_PERMISSIONS.get(perm)
        if check is None or obj is None:
            return False
        if not (user_obj and user_obj.is_active and perm in user_obj.get_all_permissions()):
            return False
        return check(user_obj, obj)

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None  # it only answers questions about permissions
