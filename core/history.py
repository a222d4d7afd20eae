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

This module is the kernel's (``core``), below both apps, so that every app's admin can use it;
each app registers its own models here (``core`` its ``UserPreference``). Restore is one write
path: ``full_clean()`` then ``save()``, as every other service.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pghistory
import pgtrigger
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.translator import NotRegistered, translator

from core import access

# Tracked model → its event model. Filled by track() during start-up.
_EVENT_MODELS: dict[type[models.Model], type[models.Model]] = {}

INSERT, UPDATE, DELETE = "insert", "update", "delete"

# Columns recorded but not worth a line of their own in "what changed".
_NOT_COMPARED = {"updated_at", "created_at"}

# What each kind of event is called on the history page, in the reader's language.
EVENT_LABELS = {
    INSERT: pgettext_lazy("history event", "created"),
    UPDATE: pgettext_lazy("history event", "changed"),
    DELETE: pgettext_lazy("history event", "deleted"),
}

# (model, field) → (its unit's field, how to write a value with its unit): a measure is shown
# "6 months", not "6" beside a separate "months". Filled by measure().
_MEASURES: dict[tuple[type[models.Model], str], tuple[str, Callable[[Any, Any], str]]] = {}

# Longer texts are cut in the history list (the comparison shows them whole).
LIST_VALUE_MAX = 80


def measure(
    model: type[models.Model], field: str, unit: str, formatter: Callable[[Any, Any], str]
) -> None:
    """Declare that ``model.field`` counts in the unit held by ``model.unit``, and is written
    ``formatter(count, unit)`` ("6 months", "6 Monate", "6か月") on the history pages."""
    _MEASURES[(model, field)] = (unit, formatter)


def _unit_fields(model: type[models.Model]) -> frozenset[str]:
    return frozenset(unit for (m, _f), (unit, _fn) in _MEASURES.items() if m is model)


def _translated_originals(model: type[models.Model]) -> list[str]:
    """The original columns of ``model``'s translated fields (``name`` beside ``name_en`` …)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return list(options.fields)  # type: ignore[attr-defined]  # set by modeltranslation at run time


def track(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = (),
    model_name: str | None = None,
    db_table: str | None = None,
) -> type[models.Model]:
    """Record every insert, update and delete of ``model``; returns the event model.

    ``exclude`` names derived columns that are not history (search columns filled by triggers).
    An update is recorded only when a recorded column other than ``auto_now`` ones changes, so a
    trigger that refreshes a derived column writes no event. ``db_table`` keeps the event table
    of a model that moved from another app.
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
        meta={"db_table": db_table} if db_table else None,
    )
    _EVENT_MODELS[model] = event_model
    return event_model


@dataclasses.dataclass(frozen=True)
class RelatedRows:
    """Rows whose history is shown on (and restored with) a parent's history page: child rows
    (an agreement's parties) and many-to-many link rows (an organisation's focus areas).

    ``path`` names the foreign keys from ``model`` up to the parent: ``("agreement",)`` for a
    party, ``("signing_event", "agreement")`` for a signature. ``restored=False`` lists the rows'
    history without restoring them (documents: a deleted document's file is gone)."""

    model: type[models.Model]
    path: tuple[str, ...]
    restored: bool = True

    @property
    def depth(self) -> int:
        return len(self.path)


# Parent model → the related rows its history page shows. Filled by track_related().
_RELATED: dict[type[models.Model], list[RelatedRows]] = {}


def track_related(
    parent: type[models.Model], model: type[models.Model], *path: str, restored: bool = True
) -> None:
    """Show ``model``'s history on ``parent``'s history page and restore it with the parent.
    Both must be tracked (and every model on ``path``)."""
    _RELATED.setdefault(parent, []).append(RelatedRows(model, tuple(path), restored))


def related_rows(parent: type[models.Model]) -> list[RelatedRows]:
    return list(_RELATED.get(parent, []))


# Model → its bookkeeping columns: recorded, but written by services only (an agreement's
# publication state, terms version and digest). A restore never writes them back, and a version
# that changed nothing else is not offered for restore. Filled by bookkeeping().
_BOOKKEEPING: dict[type[models.Model], frozenset[str]] = {}
# Model → what a save of it runs after the form's writes (the agreement's key-terms refresh):
# a restore is an edit and runs it too. Filled by after_restore().
_AFTER_RESTORE: dict[type[models.Model], list[Callable[[Any, Any], object]]] = {}


def bookkeeping(model: type[models.Model], *names: str) -> None:
    """Declare ``names`` (field names) bookkeeping columns of ``model`` (see ``_BOOKKEEPING``)."""
    _BOOKKEEPING[model] = _BOOKKEEPING.get(model, frozenset()) | frozenset(names)


def bookkeeping_fields(model: type[models.Model]) -> frozenset[str]:
    return _BOOKKEEPING.get(model, frozenset())


def after_restore(model: type[models.Model], hook: Callable[[Any, Any], object]) -> None:
    """Run ``hook(obj, user)`` after each restore of a ``model`` object and its related rows,
    inside the restore's transaction: the service a save of the object runs after the form's
    writes. ``user``: who restored (None outside the admin)."""
    _AFTER_RESTORE.setdefault(model, []).append(hook)


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
class FieldChange:
    """One field of a version, as the history list writes it: "notice period: 6 months →
    3 months"; ``old`` and ``new`` are empty where only the field's name is shown (a new row, a
    related record, whose name would cost a query)."""

    label: str
    old: str = ""
    new: str = ""


@dataclasses.dataclass
class Version:
    """One event of one object, with who made it and what it changed since the version before."""

    event: Event
    user: Any
    url: str
    changed: list[str]
    # False for a version that changed bookkeeping columns only (a publication step): nothing
    # of a person's work to restore.
    restorable: bool = True
    changes: list[FieldChange] = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        return self.event.pgh_label

    @property
    def label_display(self) -> str:
        """The kind of event in the reader's language ("changed", "geändert", "変更")."""
        return str(EVENT_LABELS.get(self.event.pgh_label, self.event.pgh_label))

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


def _is_bookkeeping_only(model: type[models.Model], event: Event, changed: list) -> bool:
    """An update that changed only bookkeeping columns (``bookkeeping()``)."""
    kept = bookkeeping_fields(model)
    return bool(kept) and event.pgh_label == UPDATE and all(field.name in kept for field in changed)


def _differences(model: type[models.Model], old: Event | None, new: Event) -> list:
    fields = [f for f in recorded_fields(model) if not f.primary_key]
    if old is None:
        return [f for f in fields if f.name not in _NOT_COMPARED]
    return [
        f
        for f in fields
        if f.name not in _NOT_COMPARED and getattr(old, f.attname) != getattr(new, f.attname)
    ]


def _short(text: str) -> str:
    return text if len(text) <= LIST_VALUE_MAX else text[: LIST_VALUE_MAX - 1] + "…"


def value_of(model: type[models.Model], field: models.Field, row: Any) -> str:
    """``row``'s value of ``field`` as a person reads it: a measure with its unit
    (:func:`measure`), a choice's label, a date in the reader's format and time zone."""
    value = getattr(row, field.attname)
    declared = _MEASURES.get((model, field.name))
    if declared is not None and value is not None:
        unit_field, formatter = declared
        return formatter(value, getattr(row, unit_field))
    return display_value(field, value)


def _field_changes(
    model: type[models.Model], old: Event | None, new: Event, fields: list[models.Field]
) -> list[FieldChange]:
    """The people's changes among ``fields`` (the changed ones): no bookkeeping column, a unit
    shown with its measure, relations and new rows by name only (no query)."""
    hidden = bookkeeping_fields(model)
    units = _unit_fields(model)
    by_name = {f.name: f for f in recorded_fields(model)}
    names: list[str] = []
    for field in fields:
        name = field.name
        if name in hidden:
            continue
        if name in units:  # a changed unit is a change of its measure
            name = next(f for (m, f), (u, _fn) in _MEASURES.items() if m is model and u == name)
        if name not in names:
            names.append(name)
    result = []
    for name in names:
        field = by_name[name]
        label = str(field.verbose_name)
        if old is None or field.is_relation:
            result.append(FieldChange(label))
        else:
            result.append(
                FieldChange(
                    label, _short(value_of(model, field, old)), _short(value_of(model, field, new))
                )
            )
    return result


def same_state(model: type[models.Model], a: Event, b: Event) -> bool:
    """Whether two versions hold the same people's values (bookkeeping columns and timestamps
    aside): restoring one over the other would change nothing."""
    skipped = bookkeeping_fields(model) | _NOT_COMPARED
    return all(
        getattr(a, f.attname) == getattr(b, f.attname)
        for f in recorded_fields(model)
        if not f.primary_key and f.name not in skipped
    )


def versions(model: type[models.Model], pk: Any) -> list[Version]:
    """Every recorded version of the object ``model(pk)``, oldest first. Two queries (events with
    their context, then their users), whatever the number of versions."""
    events = list(_events(model, pk))
    users = _users_by_id(events)
    result: list[Version] = []
    previous = None
    for event in events:
        metadata = (event.pgh_context.metadata if event.pgh_context_id else None) or {}
        fields = [] if event.pgh_label == DELETE else _differences(model, previous, event)
        result.append(
            Version(
                event=event,
                user=users.get(metadata.get("user")),
                url=metadata.get("url", ""),
                # Bookkeeping columns are no one's change to read about (a publication step
                # shows as a version that changed nothing to restore).
                changed=[
                    str(f.verbose_name) for f in fields if f.name not in bookkeeping_fields(model)
                ],
                restorable=not _is_bookkeeping_only(model, event, fields),
                changes=_field_changes(model, previous, event, fields),
            )
        )
        previous = event
    return result


def _path_steps(related: RelatedRows) -> list[tuple[type[models.Model], str]]:
    """(model, foreign key attname) from the related model up to the parent."""
    steps = []
    model = related.model
    for name in related.path:
        field = model._meta.get_field(name)
        steps.append((model, field.attname))  # type: ignore[union-attr]  # a foreign key
        model = field.related_model  # type: ignore[assignment]
    return steps


def _ids_ever_under(related: RelatedRows, parent_pk: Any) -> set[Any]:
    """Every object of ``related.model`` that was, in any recorded version, under the parent
    (deleted ones too). One query per step of the path."""
    ids: set[Any] = {parent_pk}
    for model, attname in reversed(_path_steps(related)):
        ids = set(
            event_model_for(model)
            .objects.filter(**{f"{attname}__in": ids})
            .values_list("pgh_obj_id", flat=True)
            .distinct()
        )
    return ids


@dataclasses.dataclass
class RelatedVersion(Version):
    """A version of a related row, as the parent's history page lists it."""

    model: type[models.Model] = models.Model
    record: str = ""

    @property
    def kind(self) -> str:
        return str(self.model._meta.verbose_name)


def related_versions(model: type[models.Model], pk: Any) -> list[RelatedVersion]:
    """Every recorded version of every row related to ``model(pk)`` (track_related), oldest
    first: two to three queries per kind of related row, then one for the users."""
    found: list[tuple[RelatedRows, Event, Event | None]] = []
    for related in related_rows(model):
        ids = _ids_ever_under(related, pk)
        if not ids:
            continue
        previous: Event | None = None
        for event in _events_of(related.model, ids):
            same_object = previous is not None and previous.pgh_obj_id == event.pgh_obj_id
            found.append((related, event, previous if same_object else None))
            previous = event
    users = _users_by_id([event for _, event, _ in found])
    labels = _labels_of([event for _, event, _ in found])
    result = []
    for related, event, previous in found:
        metadata = (event.pgh_context.metadata if event.pgh_context_id else None) or {}
        fields = [] if event.pgh_label == DELETE else _differences(related.model, previous, event)
        result.append(
            RelatedVersion(
                event=event,
                user=users.get(metadata.get("user")),
                url=metadata.get("url", ""),
                changed=[str(f.verbose_name) for f in fields],
                changes=_field_changes(related.model, previous, event, fields),
                model=related.model,
                record=labels[event.pgh_tracked_model, event.pk],
            )
        )
    result.sort(key=lambda version: (version.created_at, version.event.pgh_id))
    return result


def _events_of(model: type[models.Model], ids: Iterable[Any]) -> models.QuerySet:
    return (
        event_model_for(model)
        .objects.filter(pgh_obj_id__in=list(ids))
        .select_related("pgh_context")
        .order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
    )


def _labels_of(events: list[Event]) -> dict[tuple[type[models.Model], Any], str]:
    """:func:`_label_of` of each event, by its kind of row and its id (each kind's events have
    their own table and id sequence: the ids of two kinds meet), reading the related rows the
    labels name in a fixed number of queries (a history page of many versions read them once
    per version).

    Per kind of row: the first label is made the plain way, which loads the related rows its
    ``__str__`` reads; those relations are then prefetched for all the others at once. A
    many-to-many link row's two rows are read in bulk per side."""
    by_model: dict[type[models.Model], list[Event]] = {}
    for event in events:
        by_model.setdefault(event.pgh_tracked_model, []).append(event)
    labels: dict[tuple[type[models.Model], Any], str] = {}
    for model, group in by_model.items():
        fields = recorded_fields(model)
        if model._meta.auto_created:
            related = {
                field.attname: field.related_model._base_manager.in_bulk(
                    {getattr(event, field.attname) for event in group} - {None}
                )
                for field in fields
                if field.is_relation and field.related_model is not None
            }
            for event in group:
                parts = []
                for field in fields:
                    if field.attname not in related:
                        continue
                    value = getattr(event, field.attname)
                    row = related[field.attname].get(value)
                    parts.append(str(row) if row is not None else display_value(field, value))
                labels[model, event.pk] = " – ".join(parts)
            continue
        instances = [
            model(**{f.attname: getattr(event, f.attname) for f in fields}) for event in group
        ]
        labels[model, group[0].pk] = _label_from(instances[0], group[0])
        paths = sorted(_loaded_paths(instances[0]))
        if paths and len(instances) > 1:
            with contextlib.suppress(Exception):  # a label for a list: a row may be gone
                models.prefetch_related_objects(instances[1:], *paths)
        for event, instance in zip(group[1:], instances[1:], strict=True):
            labels[model, event.pk] = _label_from(instance, event)
    return labels


def _loaded_paths(instance: models.Model, prefix: str = "") -> Iterator[str]:
    """The relations loaded into ``instance`` (and into what they loaded), as lookup paths."""
    for name, related in instance._state.fields_cache.items():
        if isinstance(related, models.Model):
            yield prefix + name
            yield from _loaded_paths(related, f"{prefix}{name}__")


def _label_from(instance: models.Model, event: Event) -> str:
    try:
        return str(instance)
    except Exception:  # a label for a list: a related row may be gone
        return f"#{event.pgh_obj_id}"


def _label_of(event: Event) -> str:
    """The recorded row's name (its ``__str__`` as it was), or its id if that needs a row that
    is gone."""
    model = event.pgh_tracked_model
    if model._meta.auto_created:  # a many-to-many link row: the two rows it links
        return " – ".join(
            display_value(field, getattr(event, field.attname))
            for field in recorded_fields(model)
            if field.is_relation
        )
    instance = model(**{f.attname: getattr(event, f.attname) for f in recorded_fields(model)})
    try:
        return str(instance)
    except Exception:  # a label for a list: a related row may be gone
        return f"#{event.pgh_obj_id}"


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
    if isinstance(value, datetime.datetime):  # in the reader's time zone, to the minute
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@dataclasses.dataclass
class DiffRow:
    label: str
    old: str
    new: str
    changed: bool


def diff(model: type[models.Model], old: models.Model, new: models.Model) -> list[DiffRow]:
    """Field by field, every language column, old → new; unchanged fields included (marked).
    Not the bookkeeping columns (``bookkeeping()``) nor the row's own timestamps; a measure
    with its unit ("6 months"), the unit then not on a line of its own."""
    rows = []
    skipped = bookkeeping_fields(model) | _NOT_COMPARED | _unit_fields(model)
    for field in recorded_fields(model):
        if field.primary_key or field.name in skipped:
            continue
        before, after = value_of(model, field, old), value_of(model, field, new)
        rows.append(
            DiffRow(
                label=str(field.verbose_name),
                old=before,
                new=after,
                changed=before != after
                or getattr(old, field.attname) != getattr(new, field.attname),
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


class RestoreRefused(ValidationError):
    """A restore that would change a row the user may not edit, or a bookkeeping-only version."""


def is_restorable(event: Event) -> bool:
    """Whether ``event`` is a version worth restoring: not one that changed bookkeeping columns
    only (one query: the object's version before it)."""
    model = event.pgh_tracked_model
    if not bookkeeping_fields(model) or event.pgh_label != UPDATE:
        return True
    previous = (
        event_model_for(model)
        .objects.filter(pgh_obj_id=event.pgh_obj_id)
        .filter(
            models.Q(pgh_created_at__lt=event.pgh_created_at)
            | models.Q(pgh_created_at=event.pgh_created_at, pgh_id__lt=event.pgh_id)
        )
        .order_by("-pgh_created_at", "-pgh_id")
        .first()
    )
    return not _is_bookkeeping_only(model, event, _differences(model, previous, event))


@transaction.atomic
def history_restore(*, event: Event, user: Any = None) -> models.Model:
    """Bring the object back to the state recorded in ``event``: the existing row is updated, a
    deleted one is inserted again under its old id. Checked like any edit (``full_clean()``,
    which names a slug taken since, or a related object deleted since).

    The rows registered with track_related() (an agreement's parties, signing events,
    signatures, focus areas …) are brought back to their state at the same moment: rows added
    since are deleted, rows deleted since come back, changed ones get their old values. All in
    one transaction: one refused row (``full_clean()``) restores nothing. Rows registered with
    ``restored=False`` (documents) are left as they are.

    A restore is an edit, with the rules of the form: bookkeeping columns (``bookkeeping()``)
    keep their current values, and a version that changed nothing else is refused; with a
    ``user`` (the admin), every related row the restore would delete, change or bring back must
    be one that ``user`` may edit (``core.access.can_edit``: on a shared agreement, another
    party's rows are that party's), or nothing is restored; then the services a save runs
    (``after_restore()``: an agreement's key-terms refresh, which sends a published agreement
    whose key terms change back to review) run on the restored object."""
    model = event.pgh_tracked_model
    if not is_restorable(event):
        raise RestoreRefused(
            _("This version only recorded a publication step: there is nothing to restore."),
            code="bookkeeping",
        )
    obj = _apply(model, event)
    _restore_related(model, obj.pk, event.pgh_created_at, user)
    for hook in _AFTER_RESTORE.get(model, []):
        hook(obj, user)
    return obj


def _apply(model: type[models.Model], event: Event) -> models.Model:
    obj = model._base_manager.filter(pk=event.pgh_obj_id).first()
    kept = bookkeeping_fields(model) if obj is not None else frozenset()
    if obj is None:
        obj = model(pk=event.pgh_obj_id)
    for field in recorded_fields(model):
        if field.primary_key or field.name in kept:
            continue
        # Through the instance dict: modeltranslation's descriptors would write the plain name
        # into the active language's column.
        obj.__dict__[field.attname] = getattr(event, field.attname)
    _drop_missing_files(obj)
    obj.full_clean()
    obj.save()
    return obj


def _refuse_unless_editable(user: Any, row: models.Model) -> None:
    if user is not None and not access.can_edit(user, row):
        raise RestoreRefused(
            _(
                "This version cannot be restored: it would change “%(row)s” (%(kind)s), which "
                "only its own organisation's managers may change."
            )
            % {"row": row, "kind": row._meta.verbose_name},
            code="not_yours",
        )


def _state_at(model: type[models.Model], ids: set[Any], moment: datetime.datetime) -> list:
    """The latest event of each object in ``ids`` recorded at or before ``moment`` (one
    transaction's events share its start time, so a whole admin save counts as one moment)."""
    return list(
        event_model_for(model)
        .objects.filter(pgh_obj_id__in=list(ids), pgh_created_at__lte=moment)
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
    )


def _restore_related(
    model: type[models.Model], pk: Any, moment: datetime.datetime, user: Any = None
) -> None:
    restored = [related for related in related_rows(model) if related.restored]
    # Which rows were under the parent at that moment: the shallow kinds first, since a
    # signature was under the agreement if its signing event was.
    wanted: dict[type[models.Model], dict[Any, Event]] = {}
    for related in sorted(related_rows(model), key=lambda related: related.depth):
        attname = _path_steps(related)[0][1]
        if related.depth == 1:
            above: set[Any] = {pk}
        else:  # the kind one step up must be registered too (a signature's signing event)
            above = set(wanted[_path_steps(related)[1][0]])
        wanted[related.model] = {
            event.pgh_obj_id: event
            for event in _state_at(related.model, _ids_ever_under(related, pk), moment)
            if event.pgh_label != DELETE and getattr(event, attname) in above
        }
    # Rows added since: deleted, the deepest first (a signature protects its party).
    for related in sorted(restored, key=lambda related: -related.depth):
        lookup = "__".join(related.path)
        current = related.model._base_manager.filter(**{lookup: pk})
        gone = current.exclude(pk__in=list(wanted[related.model]))
        if user is not None:
            for doomed in gone:
                _refuse_unless_editable(user, doomed)
        gone.delete()
    # Rows changed or deleted since: their recorded state, the shallowest first.
    for related in sorted(restored, key=lambda related: related.depth):
        fields = [f for f in recorded_fields(related.model) if not f.primary_key]
        existing = related.model._base_manager.in_bulk(list(wanted[related.model]))
        for obj_id, event in wanted[related.model].items():
            row = existing.get(obj_id)
            if row is not None and all(
                getattr(row, f.attname) == getattr(event, f.attname) for f in fields
            ):
                continue
            if row is not None:
                _refuse_unless_editable(user, row)
            # As restored (a row brought back on behalf of another party is theirs too).
            _refuse_unless_editable(user, _apply(related.model, event))


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
