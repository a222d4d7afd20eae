"""What changed since a time, read from the history event tables (core/history.py).

Every insert, update and delete of a tracked model writes an event row (PostgreSQL triggers), so a
partner system can sync by time: a resource "changed" when its own row or one of the rows it
embeds (an agreement's parties, signing events, documents …) has an event since then. Rows that
changed and are not visible now — deleted, unpublished, made private — are what the changes
endpoint lists, so that the partner can remove them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q

from core.history import event_model_for
from organizations.models import Affiliation, Organization, Person, Region
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)


def _events_since(model: type[models.Model], since: datetime.datetime) -> models.QuerySet:
    return event_model_for(model).objects.filter(pgh_created_at__gte=since)


def _ids(model: type[models.Model], field: str, since: datetime.datetime) -> models.QuerySet:
    """The values of ``field`` (the resource's id) in ``model``'s events since ``since``."""
    return _events_since(model, since).order_by().values(field)


def _agreement_ids(since: datetime.datetime) -> list[models.QuerySet]:
    signing_children = (
        SigningEvent.objects.filter(
            Q(pk__in=_ids(Signature, "signing_event_id", since))
            | Q(pk__in=_ids(Attendance, "signing_event_id", since))
        )
        .order_by()
        .values("agreement_id")
    )
    return [
        _ids(Agreement, "pgh_obj_id", since),
        _ids(Agreement.focus_areas.through, "agreement_id", since),
        *(
            _ids(model, "agreement_id", since)
            for model in (
                AgreementParty,
                CooperationArea,
                SigningEvent,
                Statement,
                AgreementContact,
                Document,
            )
        ),
        signing_children,
    ]


def _event_ids(since: datetime.datetime) -> list[models.QuerySet]:
    # An event's visibility follows its signings' agreements: one published or unpublished since
    # then may have shown or hidden the event.
    occasions_of_changed_agreements = (
        SigningEvent.objects.filter(agreement_id__in=_ids(Agreement, "pgh_obj_id", since))
        .order_by()
        .values("occasion_id")
    )
    return [
        _ids(Event, "pgh_obj_id", since),
        _ids(SigningEvent, "occasion_id", since),
        occasions_of_changed_agreements,
    ]


def _document_ids(since: datetime.datetime) -> list[models.QuerySet]:
    of_changed_agreements = (
        Document.objects.filter(agreement_id__in=_ids(Agreement, "pgh_obj_id", since))
        .order_by()
        .values("pk")
    )
    return [_ids(Document, "pgh_obj_id", since), of_changed_agreements]


def _organization_ids(since: datetime.datetime) -> list[models.QuerySet]:
    # The partner profile's international-affairs contact is embedded with its person's name:
    # an edit of either (or the contact point made public or private) changes the organisation.
    changed_contacts = Affiliation.objects.filter(
        Q(pk__in=_ids(Affiliation, "pgh_obj_id", since))
        | Q(person_id__in=_ids(Person, "pgh_obj_id", since))
    ).values("pk")
    contact_of = (
        Organization.objects.filter(international_contact_id__in=changed_contacts)
        .order_by()
        .values("pk")
    )
    return [
        _ids(Organization, "pgh_obj_id", since),
        _ids(Organization.focus_areas.through, "organization_id", since),
        _ids(Organization.target_regions.through, "organization_id", since),
        contact_of,
    ]


# Resource name → (model, its changed-id subqueries).
SOURCES: dict[str, tuple[type[models.Model], Any]] = {
    "regions": (
        Region,
        lambda since: [
            _ids(Region, "pgh_obj_id", since),
            _ids(Region.members.through, "from_region_id", since),
        ],
    ),
    "organizations": (Organization, _organization_ids),
    "people": (
        Person,
        lambda since: [_ids(Person, "pgh_obj_id", since), _ids(Affiliation, "person_id", since)],
    ),
    "agreements": (Agreement, _agreement_ids),
    "events": (Event, _event_ids),
    "documents": (Document, _document_ids),
}


def changed_since(resource: str, since: datetime.datetime) -> Q:
    """The condition on ``resource``'s rows that changed since ``since`` (one SQL condition of
    subqueries, no ids in Python)."""
    _model, subqueries = SOURCES[resource]
    condition = Q()
    for subquery in subqueries(since):
        condition |= Q(pk__in=subquery)
    return condition


def removed_since(resource: str, since: datetime.datetime, visible: models.QuerySet) -> list[int]:
    """Ids of ``resource`` that changed since ``since`` and are not in ``visible`` now: deleted,
    unpublished or made private. May name rows the caller never saw (a draft that was edited):
    removing what one does not hold is a no-op. Ascending."""
    _model, subqueries = SOURCES[resource]
    candidates: set[int] = set()
    for subquery in subqueries(since):
        for row in subquery.distinct():  # one column, as a dict
            value = next(iter(row.values()))
            if value is not None:
                candidates.add(value)
    if not candidates:
        return []
    still_visible = set(visible.filter(pk__in=candidates).values_list("pk", flat=True))
    return sorted(candidates - still_visible)
