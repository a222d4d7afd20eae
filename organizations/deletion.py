"""Deletion of organisations and people that the record of an agreement refers to is refused.

An agreement's history (its parties, signatures, attendance, statements and contacts, in every
version ever recorded) must stay readable and restorable: the organisations and people it names
are archived (``is_archived``), not deleted. Organisations is the lower app and knows nothing of
agreements, so ``partnerships`` registers the check (a *guard*) here at start-up; the refusal is
then enforced in one place, a ``pre_delete`` receiver, whichever way the deletion comes (the
admin, ``obj.delete()``, ``queryset.delete()``, a cascade). The admin asks
:func:`deletion_refusals` first to show the reason on its confirmation page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models.signals import pre_delete

from organizations.models import Organization, Person

Guard = Callable[[models.Model], list[str]]

_GUARDS: list[Guard] = []


class DeletionRefused(models.ProtectedError):
    """Raised by a refused deletion. A ``ProtectedError``, so callers that already handle
    ``on_delete=PROTECT`` handle this too."""

    def __init__(self, messages: list[str], obj: models.Model) -> None:
        super().__init__("; ".join(messages), {obj})
        self.messages = messages


def register_deletion_guard(guard: Guard) -> None:
    """Register ``guard(obj) -> [reason, …]``, called for every organisation and person about to
    be deleted; an empty list lets the deletion go ahead."""
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


def connect() -> None:
    for model in (Organization, Person):
        pre_delete.connect(
            _refuse_guarded_deletion, sender=model, dispatch_uid=f"refuse_delete_{model.__name__}"
        )
