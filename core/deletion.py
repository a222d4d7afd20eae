"""Deletion of records that something else still refers to is refused: *guards*.

An agreement's history (its parties, signatures, attendance, statements and contacts, in every
version ever recorded) must stay readable and restorable: the organisations and people it names
are archived (``is_archived``), not deleted. The app that owns a model declares it guarded
(``organizations``: organisations and people, :func:`guard_deletion`); the app that knows why
registers the check, a *guard* (``partnerships``: the history of agreements,
:func:`register_deletion_guard`) — both at start-up, so that no app imports one above it. The
refusal is then enforced in one place, a ``pre_delete`` receiver, whichever way the deletion comes
(the admin, ``obj.delete()``, ``queryset.delete()``, a cascade); a guarded model's ``delete()``
asks first (:func:`refuse_if_guarded`), so that the caller's transaction stays usable. The admin
asks :func:`deletion_refusals` to show the reason on its confirmation page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models.signals import pre_delete

Guard = Callable[[models.Model], list[str]]

_GUARDS: list[Guard] = []


class DeletionRefused(models.ProtectedError):
    """Raised by a refused deletion. A ``ProtectedError``, so callers that already handle
    ``on_delete=PROTECT`` handle this too."""

    def __init__(self, messages: list[str], obj: models.Model) -> None:
        super().__init__("; ".join(messages), {obj})
        self.messages = messages


def register_deletion_guard(guard: Guard) -> None:
    """Register ``guard(obj) -> [reason, …]``, called for every object of a guarded model about
    to be deleted; an empty list lets the deletion go ahead."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def deletion_refusals(obj: models.Model) -> list[str]:
    return [reason for guard in _GUARDS for reason in guard(obj)]


def refuse_if_guarded(obj: models.Model) -> None:
    reasons = deletion_refusals(obj)
    if reasons:
        raise DeletionRefused(reasons, obj)


def _refuse_guarded_deletion(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    # The backstop for queryset.delete() and cascades, inside Django's deletion transaction.
    refuse_if_guarded(instance)


def guard_deletion(*models_: type[models.Model]) -> None:
    """Refuse the deletion of ``models_``' objects that a guard names a reason for; called once
    from the owning app's ``ready()``."""
    for model in models_:
        pre_delete.connect(
            _refuse_guarded_deletion, sender=model, dispatch_uid=f"refuse_delete_{model.__name__}"
        )
