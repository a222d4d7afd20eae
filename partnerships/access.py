"""Who may do what with agreements and what hangs off them (see ``core/access.py`` for the roles
and the mechanism; partnerships registers its scopes there, never the reverse).

- an **agreement** is visible if published or if a managed organisation is one of its parties;
  editable if a managed organisation is a party. A new agreement must list one of the manager's
  organisations as a party (``PartyFormSet``), and a manager cannot remove the last one;
- its **parties, cooperation areas, signing events, signatures, attendance, statements, contacts
  and documents** follow their agreement: editable with it; visible when public by their own
  rule (``Document.objects.public()``, ``AgreementContact.objects.public()`` …) or when their
  agreement is editable. On a shared agreement every party's managers edit the joint record (the
  approval of its key terms guards what the partners agreed), but a row that belongs to one
  party (``ROW_OWNER``: its party row, signatures and contacts on its behalf, its people's
  attendance and statements) only by that party's managers — the others see it read-only; the
  partners' own profile, people and non-public contact points stay theirs (read-only, or not
  visible at all);
- an **event** is visible if public, organised by a managed organisation or the occasion of an
  agreement the manager edits; editable if organised by a managed organisation, or without an
  organiser and used only by agreements the manager edits;
- a person who signed, attended or spoke at an agreement the manager edits, and a contact point
  already named on it, may be picked again on that agreement's records; a person with no
  affiliation yet belongs to the parties of the agreements that name them (visible and editable
  by their managers only, not by every cluster manager);
- a **renewal reminder** is visible to the managers of its agreement's parties, editable by
  nobody.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from core import access
from core.access import NOTHING, ScopeRule, register_scope
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Event,
    Reminder,
    Signature,
    SigningEvent,
    Statement,
)


def _agreements_of(ids: frozenset[int]) -> QuerySet:
    return AgreementParty.objects.filter(organization__in=ids).values("agreement")


def _agreement_editable(ids: frozenset[int]) -> Q:
    return Q(pk__in=_agreements_of(ids))


def _agreement_visible(ids: frozenset[int]) -> Q:
    return Q(pk__in=Agreement.objects.published().values("pk")) | _agreement_editable(ids)


def editable_agreements(user: Any, qs: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    """The agreements ``user`` may edit: all for an administrator; for a cluster manager, those
    a managed organisation is a party to."""
    return access.editable(user, Agreement.objects.all() if qs is None else qs)


def visible_in_admin(user: Any, qs: QuerySet) -> QuerySet:
    """The rows of ``qs`` (any scoped model) that ``user`` may see in the admin."""
    return access.visible(user, qs)


@rules.predicate
def can_edit_agreement(user: Any, agreement: Agreement) -> bool:
    """An administrator, or a manager of one of the agreement's parties."""
    return access.can_edit(user, agreement)


# Whose row is it: on a shared agreement, the rows that belong to one party — its own party row,
# a signature or contact on its behalf, the attendance or statement of one of its people — are
# edited by that party's managers only; the other parties' managers see them read-only (the
# admin's inlines disable them row by row, core/admin/access.py). Rows of no party (the
# scope, the signings, documents, an attendance without an organisation) are the joint record.
ROW_OWNER: dict[type, str] = {
    AgreementParty: "organization",
    Signature: "party__organization",
    AgreementContact: "party__organization",
    Attendance: "organization",
    Statement: "organization",
}


def row_owner_id(row: Any) -> int | None:
    """The organisation whose row ``row`` is (see ``ROW_OWNER``), or None for a joint row."""
    path = ROW_OWNER.get(type(row))
    if path is None:
        return None
    obj = row
    for step in path.split("__")[:-1]:
        obj = getattr(obj, step, None) if getattr(obj, f"{step}_id", None) else None
        if obj is None:
            return None
    return getattr(obj, f"{path.split('__')[-1]}_id", None)


def _own_rows(model: type, ids: frozenset[int]) -> Q:
    """The rows of ``model`` that belong to a managed organisation or to no party."""
    path = ROW_OWNER.get(model)
    if path is None:
        return Q()
    return Q(**{f"{path}__in": ids}) | Q(**{f"{path}__isnull": True})


def _following(
    path: str, public: QuerySet | None, model: type
) -> tuple[ScopeRule, ScopeRule, ScopeRule]:
    """(visible, editable, choices) of a record that follows its agreement at ``path``: editable
    if its agreement is and the row is not another party's (``ROW_OWNER``); picked (an "on
    behalf of" party) on any agreement the manager edits."""

    def follows(ids: frozenset[int]) -> Q:
        return Q(**{f"{path}__in": _agreements_of(ids)})

    def editable(ids: frozenset[int]) -> Q:
        return follows(ids) & _own_rows(model, ids)

    def visible(ids: frozenset[int]) -> Q:
        if public is not None:
            return Q(pk__in=public.values("pk")) | follows(ids)
        return Q(**{f"{path}__in": Agreement.objects.published().values("pk")}) | follows(ids)

    return visible, editable, follows


def register_scopes() -> None:
    """Called once from ``PartnershipsConfig.ready()``."""
    from organizations.models import Affiliation, Person

    register_scope(Agreement, visible=_agreement_visible, editable=_agreement_editable)
    for model, path, public in (
        (AgreementParty, "agreement", None),
        (CooperationArea, "agreement", None),
        (SigningEvent, "agreement", SigningEvent.objects.public()),
        (Signature, "signing_event__agreement", None),
        (Attendance, "signing_event__agreement", None),
        (Statement, "agreement", None),
        (AgreementContact, "agreement", AgreementContact.objects.public()),
        (Document, "agreement", Document.objects.public()),
    ):
        visible, editable, choices = _following(path, public, model)
        register_scope(model, visible=visible, editable=editable, choices=choices)

    # Renewal reminders: seen by the managers of the agreement's parties, edited by nobody (a
    # record of what was sent; administrators may delete one to have it sent again).
    register_scope(
        Reminder,
        visible=lambda ids: Q(agreement__in=_agreements_of(ids)),
        editable=lambda ids: NOTHING,
    )

    def event_editable(ids: frozenset[int]) -> Q:
        others = SigningEvent.objects.filter(occasion=OuterRef("pk")).exclude(
            agreement__in=_agreements_of(ids)
        )
        return Q(organizer__in=ids) | (Q(organizer__isnull=True) & ~Q(Exists(others)))

    def event_visible(ids: frozenset[int]) -> Q:
        return (
            Q(pk__in=Event.objects.public().values("pk"))
            | Q(organizer__in=ids)
            | Q(
                pk__in=SigningEvent.objects.filter(agreement__in=_agreements_of(ids)).values(
                    "occasion"
                )
            )
        )

    register_scope(Event, visible=event_visible, editable=event_editable, choices=event_visible)

    def people_on_own_agreements(ids: frozenset[int]) -> Q:
        agreements = _agreements_of(ids)
        return (
            Q(
                pk__in=Signature.objects.filter(signing_event__agreement__in=agreements).values(
                    "person"
                )
            )
            | Q(
                pk__in=Attendance.objects.filter(signing_event__agreement__in=agreements).values(
                    "person"
                )
            )
            | Q(pk__in=Statement.objects.filter(agreement__in=agreements).values("person"))
        )

    def contacts_on_own_agreements(ids: frozenset[int]) -> Q:
        return Q(
            pk__in=AgreementContact.objects.filter(agreement__in=_agreements_of(ids)).values(
                "affiliation"
            )
        )

    unaffiliated = ~Q(Exists(Affiliation.objects.filter(person=OuterRef("pk"))))

    def unaffiliated_on_own_agreements(ids: frozenset[int]) -> Q:
        return unaffiliated & people_on_own_agreements(ids)

    def named_nowhere(ids: frozenset[int]) -> Q:
        """Just created with "+" (no affiliation, on no agreement): picked to be named next."""
        return (
            unaffiliated
            & ~Q(Exists(Signature.objects.filter(person=OuterRef("pk"))))
            & ~Q(Exists(Attendance.objects.filter(person=OuterRef("pk"))))
            & ~Q(Exists(Statement.objects.filter(person=OuterRef("pk"))))
        )

    access.extend_choices(Person, people_on_own_agreements)
    access.extend_choices(Person, named_nowhere)
    access.extend_scope(
        Person, visible=unaffiliated_on_own_agreements, editable=unaffiliated_on_own_agreements
    )
    access.extend_choices(Affiliation, contacts_on_own_agreements)
