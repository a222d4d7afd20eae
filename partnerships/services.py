"""Writes for agreements: validate with ``full_clean()``, then save, all or nothing.

Rules that span several rows ("a concluded agreement needs at least two parties") cannot be
database constraints; they live in ``partnerships/rules.py``, which these services, the admin
formsets, the demo loader and the fake-data generator all call.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from core.access import managed_organization_ids
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from organizations.services import Translated, translated_values
from partnerships import access, rules, tasks
from partnerships.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    Attendance,
    CalendarToken,
    Event,
    Signature,
    SigningEvent,
    Statement,
)
from partnerships.notifications import Notice
from partnerships.terms import DurationUnit


@transaction.atomic
def agreement_create(
    *,
    title: Translated,
    slug: str,
    kind: str,
    parties: Sequence[tuple[Organization, str]],
    state: str = Agreement.State.DRAFT,
    code: str = "",
    summary: Translated = "",
    terms: Translated = "",
    signed_on: datetime.date | None = None,
    effective_from: datetime.date | None = None,
    term: str = Agreement.Term.UNSTATED,
    valid_until: datetime.date | None = None,
    term_length: int | None = None,
    term_length_unit: str = DurationUnit.YEARS,
    notice_period: int | None = None,
    notice_period_unit: str = DurationUnit.MONTHS,
    auto_renewal: bool = False,
    terminated_on: datetime.date | None = None,
    authentic_languages: Sequence[str] = (),
    focus_areas: Iterable[FocusArea] = (),
    previous: Agreement | None = None,
    lineage: str = "",
) -> Agreement:
    """An agreement and its parties (``(organisation, AgreementParty.Role)``, in order).

    A draft may still lack parties; a concluded agreement needs at least two, all different.
    """
    rules.check_parties(
        concluded=state == Agreement.State.CONCLUDED,
        organization_ids=[organization.pk for organization, _role in parties],
    )

    agreement = Agreement(
        **translated_values("title", title),
        **translated_values("summary", summary),
        **translated_values("terms", terms),
        slug=slug,
        kind=kind,
        state=state,
        code=code,
        signed_on=signed_on,
        effective_from=effective_from,
        term=term,
        valid_until=valid_until,
        term_length=term_length,
        term_length_unit=term_length_unit,
        notice_period=notice_period,
        notice_period_unit=notice_period_unit,
        auto_renewal=auto_renewal,
        terminated_on=terminated_on,
        authentic_languages=list(authentic_languages),
        previous=previous,
        lineage=lineage,
    )
    agreement.full_clean()
    agreement.save()
    agreement.focus_areas.set(focus_areas)
    for position, (organization, role) in enumerate(parties):
        party = AgreementParty(
            agreement=agreement, organization=organization, role=role, position=position
        )
        party.full_clean()
        party.save()
    agreement_refresh_terms_version(agreement=agreement)
    return agreement


@transaction.atomic
def agreement_record_signing(
    *,
    agreement: Agreement,
    signed_on: datetime.date,
    place: Region | None = None,
    occasion: Event | None = None,
    venue: Translated = "",
    signatures: Sequence[tuple[Person, AgreementParty, Translated]] = (),
    attendees: Sequence[tuple[Person, Translated]] = (),
) -> SigningEvent:
    """A signing event with its signatories (person, party, capacity) and attendees (person,
    capacity). Each signatory signs for a party of ``agreement``; nobody is both."""
    rules.check_signing_allowed(concluded=agreement.state == Agreement.State.CONCLUDED)
    both = rules.signatories_attending(
        signatory_ids=[person.pk for person, _party, _capacity in signatures],
        attendee_ids=[person.pk for person, _capacity in attendees],
    )
    if both:
        names = sorted(str(person) for person, _capacity in attendees if person.pk in both)
        raise ValidationError(
            [f"{name}: {rules.SIGNATORY_ATTENDING}" for name in names], code="signatory_attending"
        )

    signing_event = SigningEvent(
        **translated_values("venue", venue),
        agreement=agreement,
        signed_on=signed_on,
        place=place,
        occasion=occasion,
    )
    signing_event.full_clean()
    signing_event.save()
    for person, party, capacity in signatures:
        signature = Signature(
            **translated_values("capacity", capacity),
            signing_event=signing_event,
            person=person,
            party=party,
        )
        fill_capacity_from_position(signature, organization=party.organization)
        signature.full_clean()
        signature.save()
    for person, capacity in attendees:
        attendance = Attendance(
            **translated_values("capacity", capacity), signing_event=signing_event, person=person
        )
        attendance.full_clean()
        attendance.save()
    return signing_event


# --- Publication: draft → in review → (every party approves) → published → withdrawn ------------


def _notify(
    *,
    agreement: Agreement,
    event: Notice,
    actor: Any,
    organization_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Once the transaction commits, have the parties' managers told of ``event``
    (``partnerships/notifications.py``): a task, so that a mail server that is down never
    blocks or undoes the step. A step without an acting user (the demo loader) tells nobody,
    except a key-term change (an import): every party's managers."""
    if actor is None and event != Notice.BACK_TO_REVIEW:
        return
    actor_id = actor.pk if actor is not None else None
    occurrence = str(uuid.uuid4())  # the step: each recipient's notice is recorded once

    def enqueue() -> None:
        tasks.send_agreement_notice.enqueue(
            agreement_id=agreement.pk,
            event=str(event),
            actor_id=actor_id,
            organization_id=organization_id,
            comment_id=comment_id,
            occurrence=occurrence,
        )

    transaction.on_commit(enqueue, robust=True)


def _adopt_partner_entries(agreement: Agreement, organization: Organization) -> None:
    """A party's approval adopts the positions the other side entered for it
    (``Affiliation.entered_by``) of the people the agreement names: from now on they are the
    party's own, no longer editable by the organisation that entered them."""
    named = (
        Q(pk__in=Signature.objects.filter(signing_event__agreement=agreement).values("person"))
        | Q(pk__in=Attendance.objects.filter(signing_event__agreement=agreement).values("person"))
        | Q(pk__in=Statement.objects.filter(agreement=agreement).values("person"))
    )
    Affiliation.objects.filter(
        organization=organization,
        entered_by__isnull=False,
        person__in=Person.objects.filter(named),
    ).update(entered_by=None)


def _locked_publication(agreement: Agreement) -> str:
    """The agreement's publication as stored, its row locked until the transaction ends: two
    transitions of one agreement run one after the other."""
    publication = (
        Agreement.objects.select_for_update()
        .filter(pk=agreement.pk)
        .values_list("publication", flat=True)
        .get()
    )
    agreement.publication = publication
    return publication


def _check_transition(agreement: Agreement, allowed_from: Sequence[str]) -> None:
    publication = _locked_publication(agreement)
    rules.check_transition(
        publication=publication,
        allowed_from=allowed_from,
        label=str(Agreement.Publication(publication).label).lower(),
    )


def _party_ids(agreement: Agreement) -> list[int]:
    return list(
        agreement.parties.order_by("position", "pk").values_list("organization_id", flat=True)
    )


def key_terms_digest(terms: dict[str, object]) -> str:
    encoded = json.dumps(terms, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def capacity_from_position(*, person: Person, organization: Organization | None) -> dict[str, str]:
    """The ``capacity_<language>`` values from ``person``'s current position at
    ``organization`` (or, without an organisation, their only current position), in every
    language; empty when there is no such position."""
    affiliations = Affiliation.objects.filter(person=person, is_current=True)
    if organization is not None:
        affiliations = affiliations.filter(organization=organization)
    found = list(affiliations[:2])
    if len(found) != 1:
        return {}
    return {
        build_localized_fieldname("capacity", language): getattr(
            found[0], build_localized_fieldname("position", language)
        )
        or ""
        for language in mt_settings.AVAILABLE_LANGUAGES
    }


def fill_capacity_from_position(
    instance: Signature | Statement, *, organization: Organization | None
) -> None:
    """Give a signatory or speaker whose capacity was left empty (in every language) the
    position of their current affiliation, so that it need not be typed again."""
    fields = [
        build_localized_fieldname("capacity", language)
        for language in mt_settings.AVAILABLE_LANGUAGES
    ]
    if not instance.person_id or any(getattr(instance, field) for field in fields):
        return
    for field, value in capacity_from_position(
        person=instance.person, organization=organization
    ).items():
        setattr(instance, field, value)


@transaction.atomic
def agreement_refresh_terms_version(*, agreement: Agreement, user: Any = None) -> int:
    """Bump ``terms_version`` if the key terms changed since it was last computed, so that earlier
    approvals no longer count; returns the current version. Called after every save of the
    agreement page in the admin (and of a party or cooperation area on its own page), and by
    every transition before it looks at approvals.

    A published agreement whose key terms change is no longer public: it goes back to review
    until every party has approved the new version (the admin tells the editor, before and after
    saving; the other parties' managers are told by e-mail, except those of the parties ``user``
    — the editor, when known — manages: ``partnerships/notifications.py``)."""
    digest = key_terms_digest(agreement.key_terms())
    if digest != agreement.terms_digest:
        fields = ["terms_version", "terms_digest"]
        if agreement.terms_digest:
            agreement.terms_version += 1
            if _locked_publication(agreement) == Agreement.Publication.PUBLISHED:
                agreement.publication = Agreement.Publication.IN_REVIEW
                fields += ["publication", "updated_at"]
                _notify(agreement=agreement, event=Notice.BACK_TO_REVIEW, actor=user)
        agreement.terms_digest = digest
        agreement.save(update_fields=fields)
        _recognise_earlier_approvals(agreement, digest)
    return agreement.terms_version


def _recognise_earlier_approvals(agreement: Agreement, digest: str) -> None:
    """Key terms back to terms a party already approved (a change undone, an earlier version
    restored): that party's approval of exactly these terms counts again, carried to the new
    version with its approver and time — an approval is of a digest of the key terms, as Erasmus
    Without Paper approves the hash of an agreement. The earlier rows stay as they were."""
    carried: set[int] = set()
    earlier = agreement.approvals.filter(terms_version__lt=agreement.terms_version).order_by(
        "-terms_version", "-pk"
    )
    for approval in earlier:
        if approval.organization_id in carried or key_terms_digest(approval.key_terms) != digest:
            continue
        AgreementApproval.objects.get_or_create(
            agreement=agreement,
            organization_id=approval.organization_id,
            terms_version=agreement.terms_version,
            defaults={
                "approved_by": approval.approved_by,
                "as_administrator": approval.as_administrator,
                "key_terms": approval.key_terms,
                "approved_at": approval.approved_at,
            },
        )
        carried.add(approval.organization_id)


def current_approvals(agreement: Agreement) -> list[AgreementApproval]:
    """The approvals that count: of the current key terms."""
    return list(
        agreement.approvals.filter(terms_version=agreement.terms_version).select_related(
            "organization", "approved_by"
        )
    )


def missing_approval_parties(agreement: Agreement) -> list[AgreementParty]:
    """The parties, in order, without an approval of the current key terms."""
    parties = list(agreement.parties.select_related("organization"))
    missing = rules.missing_approvals(
        party_ids=[party.organization_id for party in parties],
        approved_ids=[approval.organization_id for approval in current_approvals(agreement)],
    )
    return [party for party in parties if party.organization_id in missing]


@transaction.atomic
def agreement_submit_for_review(*, agreement: Agreement, user: Any) -> Agreement:
    """Draft (or withdrawn) → in review: the parties are asked to approve the key terms."""
    _check_transition(agreement, rules.SUBMIT_FROM)
    access.check_may_act_on(user, _party_ids(agreement))
    agreement_refresh_terms_version(agreement=agreement)
    agreement.publication = Agreement.Publication.IN_REVIEW
    agreement.save(update_fields=["publication", "updated_at"])
    _notify(agreement=agreement, event=Notice.SUBMITTED, actor=user)
    return agreement


@transaction.atomic
def agreement_approve(
    *, agreement: Agreement, organization: Organization, user: Any
) -> AgreementApproval:
    """Record that ``user`` approved the current key terms for the party ``organization``: a
    manager of that party, or an administrator on its behalf. Approving twice is one approval."""
    _check_transition(agreement, rules.APPROVE_FROM)
    access.check_may_approve_for(user, organization.pk, _party_ids(agreement))
    version = agreement_refresh_terms_version(agreement=agreement)
    approval, created = AgreementApproval.objects.get_or_create(
        agreement=agreement,
        organization=organization,
        terms_version=version,
        defaults={
            "approved_by": user,
            "as_administrator": organization.pk not in managed_organization_ids(user),
            "key_terms": agreement.key_terms(),
        },
    )
    if created:
        _adopt_partner_entries(agreement, organization)
        _notify(
            agreement=agreement, event=Notice.APPROVED, actor=user, organization_id=organization.pk
        )
    return approval


@transaction.atomic
def agreement_publish(*, agreement: Agreement, user: Any) -> Agreement:
    """In review → published: the agreement must be concluded, have at least two parties, and
    every party must have approved its current key terms (an administrator may publish without).
    """
    _check_transition(agreement, rules.PUBLISH_FROM)
    access.check_may_act_on(user, _party_ids(agreement))
    rules.check_publishable(
        concluded=agreement.state == Agreement.State.CONCLUDED,
        party_count=agreement.parties.count(),
    )
    agreement_refresh_terms_version(agreement=agreement)
    missing = [str(party.organization) for party in missing_approval_parties(agreement)]
    if not access.may_publish_unapproved(user):
        rules.check_approved(missing_names=missing)
    agreement.publication = Agreement.Publication.PUBLISHED
    agreement.full_clean()
    agreement.save(update_fields=["publication", "updated_at"])
    _notify(agreement=agreement, event=Notice.PUBLISHED, actor=user)
    return agreement


@transaction.atomic
def agreement_withdraw(*, agreement: Agreement, user: Any) -> Agreement:
    """Published → withdrawn: hidden from the public again; it can go back to review.

    No ``full_clean()``: withdrawing a record must work even while it has a problem to fix.
    """
    _check_transition(agreement, rules.WITHDRAW_FROM)
    access.check_may_act_on(user, _party_ids(agreement))
    agreement.publication = Agreement.Publication.WITHDRAWN
    agreement.save(update_fields=["publication", "updated_at"])
    _notify(agreement=agreement, event=Notice.WITHDRAWN, actor=user)
    return agreement


# --- Private calendar links (partnerships/deadlines_ics.py) ------------------------------------


def calendar_token_digest(token: str) -> str:
    """The stored form of a calendar token: its SHA-256. The token has 256 random bits, so the
    digest needs no salt, and looking it up by digest leaks nothing usable about the token."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_token_renew(*, user: Any, organization: Organization) -> str:
    """Revoke ``user``'s link to ``organization``'s deadlines calendar, if any, and make a new
    one; returns the new token, which is stored only as a digest (show it now or never). Only a
    manager of the organisation gets one."""
    if organization.pk not in managed_organization_ids(user):
        raise ValidationError(_("Only a manager of this organisation gets its calendar link."))
    calendar_token_revoke(user=user, organization=organization)
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.create(
        user=user, organization=organization, token_digest=calendar_token_digest(token)
    )
    return token


@transaction.atomic
def calendar_token_revoke(*, user: Any, organization: Organization) -> int:
    """Revoke ``user``'s active link to ``organization``'s calendar; the number revoked."""
    return (
        CalendarToken.objects.active()
        .filter(user=user, organization=organization)
        .update(revoked_at=timezone.now())
    )
