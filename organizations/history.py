"""The history of every change: tracking set-up, and the services that read, compare and restore.

django-pghistory records every insert, update and delete of a tracked model in an *event table*
(``organizations_organizationevent`` …) with PostgreSQL triggers, so admin saves, bulk writes,
management commands and raw SQL are all recorded; ``pghistory.middleware.HistoryMiddleware``
attaches the user and URL of the request (``pgh_context.metadata``).

Tracking is set up by :func:`track` from each app's ``translation.py``, right after the
modeltranslation registrations: the event tables must copy the per-language columns (``name_en``,
``name_de``, ``name_ja``) that modeltranslation adds when a model is registered, which a decorator
on the model class would run too early to see. The untranslated original column (``name``) is not
recorded: modeltranslation derives it from the language columns on every save.

This module lives in ``organizations``, the lowest app, so that both apps' admins can use it;
``partnerships`` registers its own models here. Restore is one write path: ``full_clean()`` then
``save()``, as every other service.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import pghistory
import pgtrigger
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

# Tracked model → its event model. Filled by track() during start-up.
_EVENT_MODELS: dict[type[models.Model], type[models.Model]] = {}

INSERT, UPDATE, DELETE = "insert", "update", "delete"

# Columns recorded but not worth a line of their own in "what changed".
_NOT_COMPARED = {"updated_at", "created_at"}


def _translated_originals(model: type[models.Model]) -> list[str]:
    """The original columns of ``model``'s translated fields (``name`` beside ``name_en`` …)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return list(options.fields)  # type: ignore[attr-defined]  # set by modeltranslation at run time


def track(
    model: type[models.Model], *, exclude: Iterable[str] = (), model_name: str | None = None
) -> type[models.Model]:
    """Record every insert, update and delete of ``model``; returns the event model.

    ``exclude`` names derived columns that are not history (search columns filled by triggers).
    An update is recorded only when a recorded column other than ``auto_now`` ones changes, so a
    trigger that refreshes a derived column writes no event.
    """
    excluded = [*exclude, *_translated_originals(model)]
    event_model = pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(condition=pgtrigger.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(),
        exclude=excluded,
        model_name=model_name or f"{model.__name__}Event",
        abstract=False,
        # The object reference must outlive a deleted object: no database constraint.
        obj_field=pghistory.ObjForeignKey(db_index=True),
    )
    _EVENT_MODELS[model] = event_model
    return event_model


@contextlib.contextmanager
def untracked() -> Iterator[None]:
    """Record no history inside the block (every tracked model's triggers are skipped for this
    connection): for generated benchmark data only, which is not anybody's work to trace."""
    uris = [
        f"{model._meta.label}:{trigger.name}"
        for model in _EVENT_MODELS
        for trigger in model._meta.triggers  # type: ignore[attr-defined]  # added by pgtrigger
        if isinstance(trigger, pghistory.trigger.Event)
    ]
    with pgtrigger.ignore(*uris):
        yield


# pghistory builds the event models at start-up, with pgh_* columns the type checker cannot see:
# an event row is typed ``Event`` (Any).
type Event = Any


def event_model_for(model: type[models.Model]) -> type[Event]:
    return _EVENT_MODELS[model]


def is_tracked(model: type[models.Model]) -> bool:
    return model in _EVENT_MODELS


def tracked_models() -> list[type[models.Model]]:
    return list(_EVENT_MODELS)


def event_models() -> list[type[models.Model]]:
    return list(_EVENT_MODELS.values())


def recorded_fields(model: type[models.Model]) -> list[models.Field]:
    """The tracked model's fields that its events record, in model order (pk first)."""
    event_model = event_model_for(model)
    recorded = {f.name for f in event_model._meta.fields}
    return [f for f in model._meta.concrete_fields if f.name in recorded]


# --- Reading -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Change:
    field: models.Field
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return str(self.field.verbose_name)


@dataclasses.dataclass
class Version:
    """One event of one object, with who made it and what it changed since the version before."""

    event: Event
    user: Any
    url: str
    changed: list[str]

    @property
    def label(self) -> str:
        return self.event.pgh_label

    @property
    def created_at(self) -> datetime.datetime:
        return self.event.pgh_created_at


def _events(model: type[models.Model], pk: Any) -> models.QuerySet:
    return (
        event_model_for(model)
        .objects.filter(pgh_obj_id=pk)
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )


def _users_by_id(events: Iterable[Event]) -> dict[Any, Any]:
    ids: set[Any] = {
        (event.pgh_context.metadata or {}).get("user")
        for event in events
        if event.pgh_context_id and event.pgh_context
    } - {None}
    return {user.pk: user for user in get_user_model()._default_manager.filter(pk__in=ids)}


def _differences(model: type[models.Model], old: Event | None, new: Event) -> list:
    fields = [f for f in recorded_fields(model) if not f.primary_key]
    if old is None:
        return [f for f in fields if f.name not in _NOT_COMPARED]
    return [
        f
        for f in fields
        if f.name not in _NOT_COMPARED and getattr(old, f.attname) != getattr(new, f.attname)
    ]


def versions(model: type[models.Model], pk: Any) -> list[Version]:
    """Every recorded version of the object ``model(pk)``, oldest first. Two queries (events with
    their context, then their users), whatever the number of versions."""
    events = list(_events(model, pk))
    users = _users_by_id(events)
    result: list[Version] = []
    previous = None
    for event in events:
        metadata = (event.pgh_context.metadata if event.pgh_context_id else None) or {}
        changed = (
            []
            if event.pgh_label == DELETE
            else [str(f.verbose_name) for f in _differences(model, previous, event)]
        )
        result.append(
            Version(
                event=event,
                user=users.get(metadata.get("user")),
                url=metadata.get("url", ""),
                changed=changed,
            )
        )
        previous = event
    return result


def get_event(model: type[models.Model], event_id: Any) -> Event:
    return event_model_for(model).objects.select_related("pgh_context").get(pgh_id=event_id)


def display_value(field: models.Field, value: Any) -> str:
    """A recorded value as the admin shows it: the related object's name, a choice's label."""
    if value is None or value == "":
        return "—"
    if field.is_relation and field.related_model is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} ({_('deleted')})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


@dataclasses.dataclass
class DiffRow:
    label: str
    old: str
    new: str
    changed: bool


def diff(model: type[models.Model], old: models.Model, new: models.Model) -> list[DiffRow]:
    """Field by field, every language column, old → new; unchanged fields included (marked)."""
    rows = []
    for field in recorded_fields(model):
        if field.primary_key:
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        rows.append(
            DiffRow(
                label=str(field.verbose_name),
                old=display_value(field, before),
                new=display_value(field, after),
                changed=before != after,
            )
        )
    return rows


def deleted_objects(model: type[models.Model]) -> list[Event]:
    """The last recorded state of every deleted ``model`` object that has not come back: its
    latest delete event, newest first. One query."""
    event_model = event_model_for(model)
    existing = model._base_manager.filter(pk=models.OuterRef("pgh_obj_id"))
    return list(
        event_model.objects.filter(pgh_label=DELETE)
        .exclude(models.Exists(existing))
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
    )


# --- Restoring -----------------------------------------------------------------------------------


@transaction.atomic
def history_restore(*, event: Event) -> models.Model:
    """Bring the object back to the state recorded in ``event``: the existing row is updated, a
    deleted one is inserted again under its old id. Checked like any edit (``full_clean()``,
    which names a slug taken since, or a related object deleted since); many-to-many links are not
    part of a version and stay as they are."""
    model = event.pgh_tracked_model
    obj = model._base_manager.filter(pk=event.pgh_obj_id).first()
    if obj is None:
        obj = model(pk=event.pgh_obj_id)
    for field in recorded_fields(model):
        if field.primary_key:
            continue
        # Through the instance dict: modeltranslation's descriptors would write the plain name
        # into the active language's column.
        obj.__dict__[field.attname] = getattr(event, field.attname)
    _drop_missing_files(obj)
    obj.full_clean()
    obj.save()
    return obj


def _drop_missing_files(obj: models.Model) -> None:
    """A deleted document's file is deleted with it: a restored row must not point at nothing."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            file = getattr(obj, field.attname)
            if file and not file.storage.exists(file.name):
                setattr(obj, field.attname, "")


def restore_error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {'; '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return list(error.messages)
