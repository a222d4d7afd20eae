"""What agreements hold about a person, for ``organizations.privacy`` (export and erasure)."""

from __future__ import annotations

from typing import Any

from core.history import event_model_for
from organizations.models import Affiliation, Person
from organizations.privacy import PersonData, erased_label, history_rows, rows, scrub_admin_log
from partnerships.models import AgreementContact, Attendance, Signature, Statement


def _affiliation_ids(person: Person) -> set[int]:
    """The person's contact points, including deleted ones (from their history)."""
    return set(Affiliation.objects.filter(person=person).values_list("pk", flat=True)) | set(
        event_model_for(Affiliation)
        .objects.filter(person_id=person.pk)
        .values_list("pgh_obj_id", flat=True)
    )


def _export(person: Person) -> dict[str, Any]:
    affiliation_ids = _affiliation_ids(person)
    return {
        "signatures": rows(Signature.objects.filter(person=person).order_by("pk")),
        "attendances": rows(Attendance.objects.filter(person=person).order_by("pk")),
        "statements": rows(Statement.objects.filter(person=person).order_by("pk")),
        "agreement_contacts": rows(
            AgreementContact.objects.filter(affiliation_id__in=affiliation_ids).order_by("pk")
        ),
        "history": {
            "signatures": history_rows(Signature, person_id=person.pk),
            "attendances": history_rows(Attendance, person_id=person.pk),
            "statements": history_rows(Statement, person_id=person.pk),
            "agreement_contacts": history_rows(
                AgreementContact, affiliation_id__in=affiliation_ids
            ),
        },
    }


def _erase(person: Person) -> None:
    """Signatures, attendance and statements stay (the agreement's record); their labels in the
    admin log carry the person's name and are replaced."""
    label = erased_label(person.pk)
    for model in (Signature, Attendance, Statement):
        ids = set(model.objects.filter(person=person).values_list("pk", flat=True)) | set(
            event_model_for(model)
            .objects.filter(person_id=person.pk)
            .values_list("pgh_obj_id", flat=True)
        )
        scrub_admin_log(model, ids, label)
    affiliation_ids = _affiliation_ids(person)
    contact_ids = set(
        AgreementContact.objects.filter(affiliation_id__in=affiliation_ids).values_list(
            "pk", flat=True
        )
    ) | set(
        event_model_for(AgreementContact)
        .objects.filter(affiliation_id__in=affiliation_ids)
        .values_list("pgh_obj_id", flat=True)
    )
    scrub_admin_log(AgreementContact, contact_ids, label)


person_agreement_data = PersonData(export=_export, erase=_erase)
