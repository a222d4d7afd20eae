"""The two privacy requests a European portal receives most: "what do you hold about me?"
(:func:`person_export`) and "erase me" (:func:`person_erase`).

Everything held about a person: the person row (every language), their affiliations (positions and
contact data), and every recorded version of both in the history tables — plus whatever other apps
hold (signatures, attendance, statements, agreement contacts and their history), which they
register here with :func:`register_person_data` (organisations is the lower app and does not know
them).

Erasure keeps the records an agreement needs (that *someone* signed for a party) and removes who
it was: names are replaced by "Erased person #<id>", every other personal value is blanked, the
contact points are hidden, and the same columns are blanked in every history row, and in the admin
log's labels. Whatever published the person elsewhere (the open-data files, in the portal app)
registers with :func:`register_after_erase` and is called once the erasure is committed.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from core.history import event_model_for
from organizations.models import Affiliation, Person, Visibility


@dataclasses.dataclass(frozen=True)
class PersonData:
    """What one app holds about a person: ``export(person) -> {section: rows}`` and
    ``erase(person)``, run inside :func:`person_erase`'s transaction."""

    export: Callable[[Person], dict[str, Any]]
    erase: Callable[[Person], None]


_SOURCES: list[PersonData] = []


def register_person_data(source: PersonData) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


_AFTER_ERASE: list[Callable[[int], None]] = []


def register_after_erase(callback: Callable[[int], None]) -> None:
    """``callback(person_id)`` runs after every committed erasure (to withdraw or regenerate
    what was published with the person's data)."""
    if callback not in _AFTER_ERASE:
        _AFTER_ERASE.append(callback)


def plain(value: Any) -> Any:
    """``value`` as JSON: dates as ISO 8601, phone numbers and decimals as strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return str(value)


def row(obj: models.Model) -> dict[str, Any]:
    """Every stored column of ``obj`` (every language's column included)."""
    data = {f.attname: plain(f.value_from_object(obj)) for f in obj._meta.concrete_fields}
    context = getattr(obj, "pgh_context", None) if hasattr(obj, "pgh_context_id") else None
    if context is not None:
        data["pgh_context"] = plain(context.metadata)
    return data


def rows(objects: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [row(obj) for obj in objects]


def history_rows(model: type[models.Model], **filters: Any) -> list[dict[str, Any]]:
    """Every recorded version of ``model`` objects matching ``filters``, oldest first."""
    events = (
        event_model_for(model)
        .objects.filter(**filters)
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )
    return rows(events)


def person_export(*, person: Person) -> dict[str, Any]:
    """Everything the portal holds about ``person``, JSON-ready."""
    data: dict[str, Any] = {
        "person": row(person),
        "affiliations": rows(Affiliation.objects.filter(person=person).order_by("pk")),
        "history": {
            "person": history_rows(Person, pgh_obj_id=person.pk),
            "affiliations": history_rows(Affiliation, person_id=person.pk),
        },
    }
    for source in _SOURCES:
        for section, content in source.export(person).items():
            if section == "history":
                data["history"].update(content)
            else:
                data[section] = content
    return data


def erased_label(person_id: int) -> str:
    return f"Erased person #{person_id}"


# The person's columns that are personal data, and what erasure writes into them.
def _erased_person_values(person_id: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "given_name": "Erased person",
        "family_name": f"#{person_id}",
        "native_name": "",
        "native_name_reading": "",
        "slug": f"erased-person-{person_id}",
    }
    for field in Person._meta.concrete_fields:
        if field.name.startswith("honorific"):  # honorific and its language columns
            values[field.attname] = None if field.null else ""
    return values


ERASED_CONTACT = {"email": "", "phone": "", "visibility": Visibility.HIDDEN}


def scrub_admin_log(model: type[models.Model], object_ids: Iterable[Any], label: str) -> None:
    """The admin log keeps each object's name as it was (``object_repr``): replace it."""
    ids = [str(pk) for pk in object_ids]
    if ids:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).update(object_repr=label)


@transaction.atomic
def person_erase(*, person: Person) -> Person:
    """Erase ``person``'s personal data everywhere, history included; keep the records."""
    person_id = person.pk
    label = erased_label(person_id)
    values = _erased_person_values(person_id)
    # update(), not save(), and without modeltranslation rewriting "honorific" into the active
    # language column: every column, the original one included, is written as given.
    people = Person.objects.rewrite(False)  # type: ignore[attr-defined]  # modeltranslation's manager
    people.filter(pk=person_id).update(**values, is_archived=True)
    affiliation_ids = set(
        Affiliation.objects.filter(person_id=person_id).values_list("pk", flat=True)
    )
    Affiliation.objects.filter(person_id=person_id).update(**ERASED_CONTACT)
    for source in _SOURCES:
        source.erase(person)
    # The history: every version, including the ones the updates above just recorded.
    event_model_for(Person).objects.filter(pgh_obj_id=person_id).update(
        **{k: v for k, v in values.items() if k != "honorific"}
    )
    affiliation_events = event_model_for(Affiliation).objects.filter(person_id=person_id)
    affiliation_ids |= set(affiliation_events.values_list("pgh_obj_id", flat=True))
    affiliation_events.update(**ERASED_CONTACT)
    scrub_admin_log(Person, [person_id], label)
    scrub_admin_log(Affiliation, affiliation_ids, label)
    for callback in _AFTER_ERASE:
        transaction.on_commit(functools.partial(callback, person_id))
    person.refresh_from_db()
    return person
