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
- a **commitment** follows its agreement (the joint record); an **activity** is visible if
  public on a published agreement or if a managed organisation is a party of its agreement
  (partners-only activities: to the parties only), editable by the managers of the parties it
  involves (a shared one by either; one naming no party by any party's managers);
- a **renewal reminder** is visible to the managers of its agreement's parties, editable by
  nobody;
- the **publication** of an agreement (submit for review, publish, withdraw) is in the hands of
  an administrator or a manager of one of its parties; a party's approval is given by its
  manager, or by an administrator on its behalf; only an administrator publishes before every
  party approved (:func:`may_act_on`, :func:`may_approve_for`, :func:`may_publish_unapproved`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import access
from core.access import NOTHING, ScopeRule, register_scope
from organizations.access import register_partner_organizations
from organizations.models import Organization
from partnerships import rules
from partnerships.models import (
    Activity,
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Commitment,
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


def _published(path: str) -> Q:
    """The row's agreement (at ``path``) is published: EXISTS per row, which the planner may
    check row by row for one agreement's rows, where ``IN`` a subquery hashed every published
    agreement first (issue 24)."""
    return Q(Exists(Agreement.objects.published().filter(pk=OuterRef(path))))


def _agreement_visible(ids: frozenset[int]) -> Q:
    # IN, not EXISTS (``_published``): the changelist's and "builds on" searches join the
    # parties and de-duplicate whole rows, and with EXISTS the planner sorted 36,000 wide rows
    # on disk for it (0.8 s against 0.15 s, issue 24).
    return Q(pk__in=Agreement.objects.published().values("pk")) | _agreement_editable(ids)


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
            # EXISTS per row, not IN a subquery: the planner may then check the few rows of
            # one agreement one by one, where it hashed every public row of the table first
            # (the agreement page's contacts: 8,000 contacts joined with 25,000 positions,
            # 90 ms, issue 24).
            return Q(Exists(public.filter(pk=OuterRef("pk")))) | follows(ids)
        return _published(path) | follows(ids)

    return visible, editable, follows


# Activities (issue 21): seen by the public when public on a published agreement, by the managers
# of every party whatever their visibility ("partners only" hides them from everybody else);
# edited by the managers of the parties involved — a shared one by either — and, when it names
# no party, by any party's managers (the joint record).
def _activity_visible(ids: frozenset[int]) -> Q:
    return Activity.objects.public_condition() | Q(agreement__in=_agreements_of(ids))


def _activity_editable(ids: frozenset[int]) -> Q:
    links = Activity.parties.through.objects
    involved = Q(pk__in=links.filter(agreementparty__organization__in=ids).values("activity")) | ~Q(
        Exists(links.filter(activity=OuterRef("pk")))
    )
    return Q(agreement__in=_agreements_of(ids)) & involved


def register_scopes() -> None:
    """Called once from ``PartnershipsConfig.ready()``."""
    from organizations.models import Affiliation, Person

    register_scope(Agreement, visible=_agreement_visible, editable=_agreement_editable)
    # What was said or signed, not a translation: a translator leaves it (core/access.py).
    access.register_original_language(Statement, "text", "original_language")
    access.register_original_language(Agreement, "title", "original_title_language")
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

    # Commitments: the joint record of an agreement, like its scope (responsible parties
    # included); public with a published agreement.
    visible, editable, choices = _following("agreement", None, Commitment)
    register_scope(Commitment, visible=visible, editable=editable, choices=choices)
    register_scope(
        Activity, visible=_activity_visible, editable=_activity_editable, choices=_activity_editable
    )

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

    # The recording side may give the partner's signatory a position at the partner
    # (organizations/access.py affiliation_organizations, Affiliation.entered_by).
    def partners(ids: frozenset[int]) -> Q:
        return Q(
            pk__in=AgreementParty.objects.filter(agreement__in=_agreements_of(ids)).values(
                "organization"
            )
        )

    register_partner_organizations(partners)


# --- Publication: who may act on an agreement --------------------------------------------------
# The workflow's rules about the rows (from which publication states, every party approved, at
# least two parties) are in partnerships/rules.py; these are the ones about the user. ``user``
# None is a management command (the demo loader), which acts as an administrator.

NOT_A_PARTY_MANAGER = _("Only a manager of a party or an administrator can do this.")
MAY_NOT_APPROVE_FOR = _("You can approve only for a party whose organisation you manage.")
NOT_A_PARTY = _("This organisation is not a party to the agreement.")


def acts_as_administrator(user: Any) -> bool:
    return user is None or access.is_administrator(user)


def may_act_on(user: Any, party_ids: Iterable[int]) -> bool:
    """An administrator, or a manager of one of the parties: they submit the agreement for
    review, publish and withdraw it; and a manager's agreement keeps one of their organisations
    among its parties (a new one names it, an existing one cannot lose its last one: the admin's
    party formset, the spreadsheet import, the intake)."""
    return acts_as_administrator(user) or bool(
        access.managed_organization_ids(user) & set(party_ids)
    )


def may_take_publication_steps(user: Any, party_ids: Iterable[int]) -> bool:
    """Submit for review, publish, withdraw: whoever :func:`may_act_on` the agreement, except a
    translator, who changes its texts only (``core.access.translates_only``)."""
    return access.may_change_facts(user) and may_act_on(user, party_ids)


def may_approve_for(user: Any, organization_id: int) -> bool:
    """Approve for a party: its manager, or an administrator on its behalf (never a
    translator)."""
    if not access.may_change_facts(user):
        return False
    return acts_as_administrator(user) or organization_id in access.managed_organization_ids(user)


def may_publish_unapproved(user: Any) -> bool:
    """Publish before every party approved the current key terms: an administrator."""
    return acts_as_administrator(user)


def organizations_to_approve_for(user: Any, missing: list[Organization]) -> list[Organization]:
    """Of the parties ``missing`` an approval, those ``user`` approves for by pressing "approve":
    the ones they manage; for an administrator who manages none of them, every one."""
    managed = access.managed_organization_ids(user)
    own = [organization for organization in missing if organization.pk in managed]
    if own or not acts_as_administrator(user):
        return own
    return missing


def check_may_act_on(user: Any, party_ids: Iterable[int]) -> None:
    """The publication services' check (:func:`may_take_publication_steps`)."""
    if not may_take_publication_steps(user, party_ids):
        raise ValidationError(NOT_A_PARTY_MANAGER, code="not_a_party_manager")


def check_may_approve_for(user: Any, organization_id: int, party_ids: Iterable[int]) -> None:
    if organization_id not in set(party_ids):
        raise ValidationError(NOT_A_PARTY, code="not_a_party")
    if not may_approve_for(user, organization_id):
        raise ValidationError(MAY_NOT_APPROVE_FOR, code="may_not_approve_for")


# Documents on a published agreement --------------------------------------------------------
# The parties approved the key terms before the agreement was published, not what one of them
# adds afterwards: a document one party's manager adds to a published agreement (or whose link,
# file or text they change while it is public) is partners-only, marked as that party's proposal
# (``Document.proposed_by``), until a manager of another party or an administrator marks it
# public. Administrators' own documents are public as they choose. Before publication the
# publication steps decide (every party approves, then the agreement is published).


def document_publicity(
    user: Any,
    *,
    agreement: Agreement | None,
    party_ids: Iterable[int],
    proposed_by_id: int | None,
    is_new: bool,
    was_public: bool,
    wants_public: bool,
    content_changed: bool,
) -> tuple[bool, int | None]:
    """``(is_public, proposed_by_id)`` to save for a document ``user`` saves with the public
    box ``wants_public``; ``party_ids`` are the agreement's parties' organisations. Raises
    ValidationError when ``user`` may not mark it public (they proposed it, or manage no other
    party)."""
    if agreement is None or not agreement.is_public or acts_as_administrator(user):
        return wants_public, None
    own_parties = [pk for pk in party_ids if pk in access.managed_organization_ids(user)]
    if is_new or (content_changed and was_public):
        return False, own_parties[0] if own_parties else proposed_by_id
    if proposed_by_id is None or not wants_public:
        return wants_public, proposed_by_id
    if was_public:  # already released, nothing changes
        return True, None
    if any(pk != proposed_by_id for pk in own_parties):
        return True, None  # another party releases it
    raise ValidationError(rules.DOCUMENT_AWAITS_ANOTHER_PARTY, code="document_awaits_another_party")


def may_comment(user: Any, party_ids: Iterable[int]) -> bool:
    """Write in an agreement's thread between partners (``partnerships/comments.py``): an
    administrator, or a manager of one of its parties. Reading it needs the same: the thread is
    between the parties, never shown to a manager who only sees the published agreement."""
    if not (user and user.is_active and user.is_authenticated and user.is_staff):
        return False
    return access.is_administrator(user) or bool(
        access.managed_organization_ids(user) & set(party_ids)
    )


def may_preview(user: Any, agreement: Agreement) -> bool:
    """See the public page of an agreement that is not public yet ("View on site" in the admin,
    ``partnerships.views.agreement_detail``): whoever may view it in the admin — its parties'
    managers and administrators."""
    if not (user and user.is_authenticated and user.is_staff):
        return False
    return bool(user.has_perm("partnerships.view_agreement", agreement))
