"""What the history of agreements says about organisations and people.

:func:`agreements_in_history` is the deletion guard registered with ``core.deletion``:
an organisation or person named by any recorded version of an agreement's party, signature,
attendance, statement or contact cannot be deleted, only archived.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from core.history import event_model_for
from core.typography import join_list, quote
from organizations.models import Affiliation, Organization, Person
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Signature,
    SigningEvent,
    Statement,
)


def _ids(model: type[models.Model], column: str, **filters) -> set:
    return set(
        event_model_for(model)
        .objects.filter(**filters)
        .exclude(**{f"{column}__isnull": True})
        .values_list(column, flat=True)
        .distinct()
    )


def agreement_ids_in_history(obj: models.Model) -> set[int]:
    """Ids of the agreements (existing or deleted) whose recorded history names ``obj``, an
    organisation or a person. A handful of queries on the event tables' indexed columns."""
    if isinstance(obj, Organization):
        who = {"organization_id": obj.pk}
        party_ids = _ids(AgreementParty, "agreement_id", **who)
        signing_ids: set = _ids(Attendance, "signing_event_id", **who)
    elif isinstance(obj, Person):
        who = {"person_id": obj.pk}
        party_ids = set()
        signing_ids = _ids(Signature, "signing_event_id", **who) | _ids(
            Attendance, "signing_event_id", **who
        )
    else:
        return set()
    affiliation_ids = _ids(Affiliation, "pgh_obj_id", **who)
    agreement_ids = party_ids | _ids(Statement, "agreement_id", **who)
    if affiliation_ids:
        agreement_ids |= _ids(AgreementContact, "agreement_id", affiliation_id__in=affiliation_ids)
    if signing_ids:
        agreement_ids |= _ids(SigningEvent, "agreement_id", pgh_obj_id__in=signing_ids)
    return agreement_ids


def agreements_in_history(obj: models.Model) -> list[str]:
    """The deletion guard: one reason naming the agreement(s), or nothing."""
    agreement_ids = sorted(agreement_ids_in_history(obj))
    if not agreement_ids:
        return []
    titles = {a.pk: str(a) for a in Agreement._base_manager.filter(pk__in=agreement_ids)}
    names = [titles.get(pk, f"#{pk}") for pk in agreement_ids]
    return [
        _("%(object)s appears in the history of agreement %(agreements)s: archive it instead.")
        % {"object": obj, "agreements": join_list(quote(name) for name in names)}
    ]
