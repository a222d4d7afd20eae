"""Writes for agreements: validate with ``full_clean()``, then save, all or nothing.

Rules that span several rows ("a concluded agreement needs at least two parties") cannot be
database constraints; they live in ``partnerships/rules.py``, which these services, the admin
formsets, the demo loader and the fake-data generator all call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from organizations.services import Translated, translated_values
from partnerships import rules
from partnerships.models import (
    Agreement,
    AgreementParty,
    Attendance,
    DurationUnit,
    Event,
    Signature,
    SigningEvent,
    Statement,
)


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
def agreement_publish(*, agreement: Agreement) -> Agreement:
    """Make the agreement public: it must be concluded and have at least two parties."""
    rules.check_publishable(
        concluded=agreement.state == Agreement.State.CONCLUDED,
        party_count=agreement.parties.count(),
    )
    agreement.is_published = True
    agreement.full_clean()
    agreement.save(update_fields=["is_published", "updated_at"])
    return agreement


@transaction.atomic
def agreement_unpublish(*, agreement: Agreement) -> Agreement:
    """Hide the agreement from the public.

    No ``full_clean()``: withdrawing a record must work even while it has a problem to fix.
    """
    agreement.is_published = False
    agreement.save(update_fields=["is_published", "updated_at"])
    return agreement
