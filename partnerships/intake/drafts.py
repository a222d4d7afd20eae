"""The one write of the intake: the reviewed draft, all or nothing, through the services.

``intake_create_draft`` takes what the manager confirmed on the review page — records chosen
for every name, or new ones *explicitly* asked for (``NewOrganization``/``NewPerson``) — and
writes the agreement with ``agreement_create`` and ``agreement_record_signing``, then its
quotes, contacts, scope and the release itself as the agreement's press-release document. The
texts go into the release's language only; the other languages stay empty (shown as missing).
Rights as everywhere: one of the parties must be an organisation the user manages (portal
administrators excepted), and new organisations or people need the permission to add them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import is_administrator
from organizations.models import Affiliation, FocusArea, Organization, Person, Region, Visibility
from organizations.services import translated_values
from partnerships.access import may_act_on
from partnerships.intake.extract import PHONE_REGION
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    CooperationArea,
    Document,
    Event,
    Statement,
)
from partnerships.services import agreement_create, agreement_record_signing


@dataclass(frozen=True)
class NewOrganization:
    """An organisation the manager asked to create from the review (never created silently)."""

    name: str
    region: Region


@dataclass(frozen=True)
class NewPerson:
    name: str  # "Given Family" as the release writes it (Japanese: family name first)
    honorific: str = ""


OrganizationChoice = Organization | NewOrganization
PersonChoice = Person | NewPerson


@dataclass
class PersonRow:
    """A signatory, witness, speaker or contact as confirmed."""

    person: PersonChoice
    capacity: str = ""
    organization: OrganizationChoice | None = None
    text: str = ""  # a quote
    email: str = ""
    phone: str = ""


@dataclass
class Duration:
    value: int
    unit: str


@dataclass
class ReviewedDraft:
    language: str
    text: str
    title: str
    kind: str
    parties: list[OrganizationChoice]
    signed_on: datetime.date | None = None
    place: Region | None = None
    occasion: Event | None = None
    signatories: list[PersonRow] = field(default_factory=list)
    witnesses: list[PersonRow] = field(default_factory=list)
    quotes: list[PersonRow] = field(default_factory=list)
    contacts: list[PersonRow] = field(default_factory=list)
    term: Duration | None = None
    notice: Duration | None = None
    automatic_renewal: bool = False
    valid_until: datetime.date | None = None
    previous: Agreement | None = None
    lineage: str = ""
    scope: list[str] = field(default_factory=list)
    focus_areas: list[FocusArea] = field(default_factory=list)


def _unique_slug(model: Any, base: str) -> str:
    base = (slugify(base) or "record")[:100]
    slug, number = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class _Creator:
    """Creates each confirmed new record once, whatever number of rows name it."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.organizations: dict[str, Organization] = {}
        self.people: dict[str, Person] = {}

    def organization(self, choice: OrganizationChoice | None) -> Organization | None:
        if choice is None or isinstance(choice, Organization):
            return choice
        if choice.name not in self.organizations:
            if self.user is not None and not self.user.has_perm("organizations.add_organization"):
                raise PermissionDenied(_("You may not add organisations."))
            organization = Organization(
                **translated_values("name", choice.name),
                slug=_unique_slug(Organization, choice.name),
                kind=Organization.Kind.OTHER,
                region=choice.region,
            )
            organization.full_clean()
            organization.save()
            self.organizations[choice.name] = organization
        return self.organizations[choice.name]

    def person(self, choice: PersonChoice, language: str) -> Person:
        if isinstance(choice, Person):
            return choice
        if choice.name not in self.people:
            if self.user is not None and not self.user.has_perm("organizations.add_person"):
                raise PermissionDenied(_("You may not add people."))
            words = choice.name.split()
            if language == "ja" and len(words) < 2:
                # Kanji written together: the family name is usually the first two characters
                # (one of three). The whole name is kept as written in native_name, and the
                # person's page is where a wrong split is corrected.
                cut = 1 if len(choice.name) <= 3 else 2
                family, given = choice.name[:cut], choice.name[cut:]
                order = Person.NameOrder.FAMILY_FIRST
            elif language == "ja":
                family, given = words[0], " ".join(words[1:])
                order = Person.NameOrder.FAMILY_FIRST
            else:
                given, family = " ".join(words[:-1]), words[-1]
                order = Person.NameOrder.GIVEN_FIRST
            person = Person(
                honorific=choice.honorific,
                given_name=given,
                family_name=family,
                native_name=choice.name if language == "ja" else "",
                native_name_order=order,
                slug=_unique_slug(Person, choice.name),
            )
            person.full_clean()
            person.save()
            self.people[choice.name] = person
        return self.people[choice.name]


def _phone(text: str, language: str) -> str:
    """The number in international form ("06-1234-5678" in a Japanese release is +81…), or ""
    when it is no valid number (the review showed it; a bad one is not saved)."""
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, PHONE_REGION.get(language, "DE"))
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check_rights(user: Any, organizations: Sequence[Organization]) -> None:
    if user is None or is_administrator(user):
        return
    if not user.has_perm("partnerships.add_agreement"):
        raise PermissionDenied(_("You may not add agreements."))
    if not may_act_on(user, [organization.pk for organization in organizations]):
        raise PermissionDenied(_("One of the parties must be an organisation you manage."))


@transaction.atomic
def intake_create_draft(*, user: Any, draft: ReviewedDraft) -> Agreement:
    """The agreement (publication: draft) with everything confirmed; nothing when it fails."""
    creator = _Creator(user)
    existing = [p for p in draft.parties if isinstance(p, Organization)]
    _check_rights(user, existing)
    parties = [creator.organization(choice) for choice in draft.parties]
    organizations = [p for p in parties if p is not None]
    if len({o.pk for o in organizations}) != len(organizations):
        raise ValidationError(_("A party is listed twice."), code="duplicate_party")
    language = draft.language
    concluded = draft.signed_on is not None and len(organizations) >= 2
    term = Agreement.Term.UNSTATED
    if draft.valid_until or draft.term:
        term = Agreement.Term.FIXED
    agreement = agreement_create(
        title={language: draft.title},
        slug=_unique_slug(Agreement, f"{draft.title}-{draft.signed_on or ''}"),
        kind=draft.kind,
        parties=[(o, AgreementParty.Role.PARTNER) for o in organizations],
        state=Agreement.State.CONCLUDED if concluded else Agreement.State.DRAFT,
        signed_on=draft.signed_on,
        term=term,
        valid_until=draft.valid_until,
        term_length=draft.term.value if draft.term else None,
        term_length_unit=draft.term.unit if draft.term else "years",
        notice_period=draft.notice.value if draft.notice else None,
        notice_period_unit=draft.notice.unit if draft.notice else "months",
        auto_renewal=draft.automatic_renewal,
        authentic_languages=[],
        focus_areas=draft.focus_areas,
        previous=draft.previous,
        lineage=draft.lineage if draft.previous else "",
    )
    party_of = {party.organization_id: party for party in agreement.parties.all()}

    if concluded and draft.signed_on is not None:
        signatures = []
        for row in draft.signatories:
            organization = creator.organization(row.organization)
            party = party_of.get(organization.pk) if organization else None
            if party is None:
                raise ValidationError(
                    _("%(name)s signs for an organisation that is no party.")
                    % {"name": row.person},
                    code="signatory_party",
                )
            signatures.append(
                (creator.person(row.person, language), party, {language: row.capacity})
            )
        signing_event = agreement_record_signing(
            agreement=agreement,
            signed_on=draft.signed_on,
            place=draft.place,
            occasion=draft.occasion,
            signatures=signatures,
            attendees=[
                (creator.person(row.person, language), {language: row.capacity})
                for row in draft.witnesses
            ],
        )
        # The witness's organisation, when the review named one (the service takes none).
        for row, attendance in zip(
            draft.witnesses, signing_event.attendances.order_by("pk"), strict=True
        ):
            organization = creator.organization(row.organization)
            if organization is not None:
                attendance.organization = organization
                attendance.full_clean()
                attendance.save(update_fields=["organization"])

    for position, row in enumerate(draft.quotes):
        statement = Statement(
            **translated_values("text", {language: row.text}),
            agreement=agreement,
            person=creator.person(row.person, language),
            capacity=row.capacity,
            organization=creator.organization(row.organization),
            original_language=language,
            position=position,
        )
        statement.full_clean()
        statement.save()

    for row in draft.contacts:
        organization = creator.organization(row.organization)
        party = party_of.get(organization.pk) if organization else None
        if party is None:
            continue  # a contact is for a party; the review says so beside the row
        person = creator.person(row.person, language)
        affiliation = Affiliation.objects.filter(
            person=person, organization=organization, is_current=True
        ).first()
        if affiliation is None:
            phone = _phone(row.phone, language)
            affiliation = Affiliation(
                person=person,
                organization=organization,
                position=row.capacity,
                email=row.email,
                phone=phone,
                visibility=Visibility.HIDDEN,  # hidden until someone decides otherwise
            )
            affiliation.full_clean()
            affiliation.save()
        contact = AgreementContact(agreement=agreement, party=party, affiliation=affiliation)
        contact.full_clean()
        contact.save()

    for position, description in enumerate(draft.scope):
        area = CooperationArea(
            **translated_values("description", {language: description}),
            agreement=agreement,
            position=position,
        )
        area.full_clean()
        area.save()

    document = Document(
        **translated_values("title", {language: _("Press release")}),
        agreement=agreement,
        kind=Document.Kind.PRESS_RELEASE,
        text=draft.text,
        language=language,
        is_public=False,
    )
    document.full_clean()
    document.save()
    return agreement
