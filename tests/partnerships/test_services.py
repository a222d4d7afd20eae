"""Agreement services: each refusal is checked together with "nothing was written"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnerships import rules
from partnerships.models import (
    Agreement,
    AgreementParty,
    Attendance,
    Signature,
    SigningEvent,
)
from partnerships.services import (
    agreement_create,
    agreement_publish,
    agreement_record_signing,
    agreement_submit_for_review,
    agreement_withdraw,
)

D = datetime.date
PARTNER = AgreementParty.Role.PARTNER


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Agreement, AgreementParty, SigningEvent, Signature, Attendance)
    }


@pytest.fixture
def two_organizations(organization_factory):
    return organization_factory(name="Example Cluster A"), organization_factory(
        name="Example Cluster B"
    )


def concluded(parties, **fields):
    values = {
        "title": "Example cooperation agreement",
        "slug": "example-cooperation",
        "kind": Agreement.Kind.COOPERATION,
        "state": Agreement.State.CONCLUDED,
        "signed_on": D(2015, 11, 2),
        "term": Agreement.Term.OPEN_ENDED,
        "parties": parties,
    }
    return agreement_create(**values | fields)


# agreement_create


def test_agreement_create_saves_the_agreement_and_its_parties_in_order(two_organizations):
    first, second = two_organizations

    agreement = concluded([(first, PARTNER), (second, AgreementParty.Role.COORDINATOR)])

    parties = list(agreement.parties.all())
    assert [(p.organization, p.role, p.position) for p in parties] == [
        (first, "partner", 0),
        (second, "coordinator", 1),
    ]
    assert agreement.state == Agreement.State.CONCLUDED
    assert not agreement.is_public


def test_agreement_create_stores_each_language_of_the_title(two_organizations):
    first, second = two_organizations

    agreement = concluded(
        [(first, PARTNER), (second, PARTNER)],
        title={"en": "Test agreement", "de": "Testvereinbarung", "ja": "テスト協定"},
    )

    agreement.refresh_from_db()
    assert (agreement.title_en, agreement.title_de, agreement.title_ja) == (
        "Test agreement",
        "Testvereinbarung",
        "テスト協定",
    )


def test_agreement_create_reads_a_plain_title_as_english_in_any_language(two_organizations):
    first, second = two_organizations

    with translation.override("de"):
        agreement = concluded([(first, PARTNER), (second, PARTNER)], title="Test agreement")

    assert agreement.title_en == "Test agreement"
    assert not agreement.title_de


def test_agreement_create_sets_the_focus_areas(two_organizations, focus_area_factory):
    first, second = two_organizations
    focus_area = focus_area_factory()

    agreement = concluded([(first, PARTNER), (second, PARTNER)], focus_areas=[focus_area])

    assert list(agreement.focus_areas.all()) == [focus_area]


def test_agreement_create_refuses_a_concluded_agreement_with_one_party(two_organizations):
    first, _second = two_organizations
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([(first, PARTNER)])

    assert excinfo.value.messages == [str(rules.TOO_FEW_PARTIES)]
    assert row_counts() == before


def test_agreement_create_refuses_a_concluded_agreement_without_parties(db):
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([])

    assert excinfo.value.messages == [str(rules.TOO_FEW_PARTIES)]
    assert row_counts() == before


def test_agreement_create_accepts_a_draft_with_one_party(two_organizations):
    first, _second = two_organizations

    agreement = agreement_create(
        title="Draft agreement", slug="draft", kind="mou", parties=[(first, PARTNER)]
    )

    assert agreement.state == Agreement.State.DRAFT
    assert agreement.parties.count() == 1


def test_agreement_create_refuses_the_same_organisation_twice(two_organizations):
    first, second = two_organizations
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([(first, PARTNER), (second, PARTNER), (first, AgreementParty.Role.WITNESS)])

    assert excinfo.value.messages == [str(rules.PARTY_TWICE)]
    assert row_counts() == before


def test_agreement_create_refuses_an_invalid_agreement_and_writes_no_party(two_organizations):
    first, second = two_organizations
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([(first, PARTNER), (second, PARTNER)], term=Agreement.Term.FIXED)

    assert excinfo.value.message_dict == {
        "valid_until": ["A fixed-term agreement needs a 'valid until' date or a term length."]
    }
    assert row_counts() == before


def test_agreement_create_writes_nothing_when_a_party_is_invalid(two_organizations):
    first, second = two_organizations
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([(first, PARTNER), (second, "sponsor")])

    assert list(excinfo.value.message_dict) == ["role"]
    assert row_counts() == before


def test_agreement_create_refuses_a_title_in_no_language(two_organizations):
    first, second = two_organizations
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        concluded([(first, PARTNER), (second, PARTNER)], title={})

    assert excinfo.value.message_dict["title_en"] == ["Give the title in at least one language."]
    assert row_counts() == before


def test_agreement_create_records_a_title_given_only_in_german(two_organizations):
    first, second = two_organizations

    agreement = concluded([(first, PARTNER), (second, PARTNER)], title={"de": "Nur deutsch"})

    assert agreement.title_de == "Nur deutsch"
    assert str(agreement) == "Nur deutsch"


def test_agreement_create_records_a_renewal_of_an_earlier_agreement(two_organizations):
    first, second = two_organizations
    original = concluded([(first, PARTNER), (second, PARTNER)], signed_on=D(2010, 11, 2))

    renewal = concluded(
        [(first, PARTNER), (second, PARTNER)],
        slug="example-renewal",
        kind=Agreement.Kind.RENEWAL,
        previous=original,
        lineage=Agreement.Lineage.RENEWS,
    )

    assert renewal.previous == original
    assert original.status_on(D(2016, 1, 1)) == Agreement.Status.SUPERSEDED


# agreement_record_signing


@pytest.fixture
def agreement(two_organizations):
    first, second = two_organizations
    return concluded([(first, PARTNER), (second, PARTNER)])


def test_signatory_without_a_capacity_signs_in_their_current_position_in_every_language(
    agreement, person_factory, affiliation_factory
):
    first_party, second_party = agreement.parties.all()
    signatory, other = person_factory.create_batch(2)
    affiliation_factory(
        person=signatory,
        organization=first_party.organization,
        position_en="Test president",
        position_de="Test-Präsident",
        position_ja="テスト社長",
    )
    affiliation_factory(person=signatory, position_en="Test adviser elsewhere")

    signing_event = agreement_record_signing(
        agreement=agreement,
        signed_on=D(2015, 11, 2),
        signatures=[(signatory, first_party, ""), (other, second_party, "")],
    )

    signature = signing_event.signatures.get(person=signatory)
    assert (signature.capacity_en, signature.capacity_de, signature.capacity_ja) == (
        "Test president",
        "Test-Präsident",
        "テスト社長",
    )
    assert signing_event.signatures.get(person=other).capacity_en == ""  # no position there


def test_signatory_with_a_capacity_keeps_it(agreement, person_factory, affiliation_factory):
    first_party, _second_party = agreement.parties.all()
    signatory = person_factory()
    affiliation_factory(
        person=signatory, organization=first_party.organization, position_en="Test president"
    )

    signing_event = agreement_record_signing(
        agreement=agreement,
        signed_on=D(2015, 11, 2),
        signatures=[(signatory, first_party, {"de": "Test-Vorsitzender"})],
    )

    signature = signing_event.signatures.get()
    assert (signature.capacity_en, signature.capacity_de) == ("", "Test-Vorsitzender")


def test_record_signing_saves_the_event_signatures_and_attendees(
    agreement, person_factory, event_factory, subdivision_factory
):
    first_party, second_party = agreement.parties.all()
    first_signatory, second_signatory, guest = person_factory.create_batch(3)
    occasion = event_factory(starts_on=D(2015, 11, 2), ends_on=D(2015, 11, 4))
    city = subdivision_factory(kind="city")

    signing_event = agreement_record_signing(
        agreement=agreement,
        signed_on=D(2015, 11, 2),
        place=city,
        occasion=occasion,
        signatures=[
            (first_signatory, first_party, "Test president"),
            (second_signatory, second_party, {"en": "Test CEO", "de": "Test-Geschäftsführer"}),
        ],
        attendees=[(guest, "Test state secretary")],
    )

    assert (signing_event.agreement, signing_event.place, signing_event.occasion) == (
        agreement,
        city,
        occasion,
    )
    assert [(s.person, s.party, s.capacity_en) for s in signing_event.signatures.all()] == [
        (first_signatory, first_party, "Test president"),
        (second_signatory, second_party, "Test CEO"),
    ]
    assert signing_event.signatures.get(person=second_signatory).capacity_de == (
        "Test-Geschäftsführer"
    )
    assert [(a.person, a.capacity_en) for a in signing_event.attendances.all()] == [
        (guest, "Test state secretary")
    ]


def test_record_signing_refuses_a_party_of_another_agreement(
    agreement, agreement_party_factory, person_factory
):
    first_party = agreement.parties.first()
    foreign_party = agreement_party_factory()
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        agreement_record_signing(
            agreement=agreement,
            signed_on=D(2015, 11, 2),
            signatures=[
                (person_factory(), first_party, ""),
                (person_factory(), foreign_party, ""),
            ],
        )

    assert excinfo.value.message_dict == {
        "party": ["The signatory must sign on behalf of a party of this agreement."]
    }
    assert row_counts() == before


def test_record_signing_refuses_a_signatory_who_is_also_an_attendee(agreement, person_factory):
    party = agreement.parties.first()
    signatory = person_factory(given_name="Testgiven", family_name="Signer")
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        agreement_record_signing(
            agreement=agreement,
            signed_on=D(2015, 11, 2),
            signatures=[(signatory, party, "")],
            attendees=[(person_factory(), ""), (signatory, "")],
        )

    assert excinfo.value.messages == [f"Testgiven Signer: {rules.SIGNATORY_ATTENDING}"]
    assert row_counts() == before


def test_record_signing_refuses_a_person_signing_twice(agreement, person_factory):
    first_party, second_party = agreement.parties.all()
    signatory = person_factory()
    before = row_counts()

    with pytest.raises(ValidationError):
        agreement_record_signing(
            agreement=agreement,
            signed_on=D(2015, 11, 2),
            signatures=[(signatory, first_party, ""), (signatory, second_party, "")],
        )

    assert row_counts() == before


def test_record_signing_refuses_a_date_outside_the_occasion(agreement, event_factory):
    occasion = event_factory(starts_on=D(2015, 11, 2), ends_on=D(2015, 11, 4))
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        agreement_record_signing(agreement=agreement, signed_on=D(2015, 11, 5), occasion=occasion)

    assert list(excinfo.value.message_dict) == ["signed_on"]
    assert row_counts() == before


def test_record_signing_refuses_a_draft_agreement(two_organizations):
    first, second = two_organizations
    draft = agreement_create(
        title="Draft", slug="draft", kind="mou", parties=[(first, PARTNER), (second, PARTNER)]
    )
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        agreement_record_signing(agreement=draft, signed_on=D(2015, 11, 2))

    assert excinfo.value.messages == [str(rules.SIGNING_NEEDS_CONCLUDED)]
    assert row_counts() == before


# agreement_publish / agreement_withdraw (as administrator: the approvals are in test_approval.py)


def test_publish_makes_a_concluded_agreement_with_two_parties_public(agreement):
    agreement_submit_for_review(agreement=agreement, user=None)
    agreement_publish(agreement=agreement, user=None)

    assert Agreement.objects.published().filter(pk=agreement.pk).exists()


def test_publish_refuses_a_draft(two_organizations):
    first, second = two_organizations
    draft = agreement_create(
        title="Draft", slug="draft", kind="mou", parties=[(first, PARTNER), (second, PARTNER)]
    )

    agreement_submit_for_review(agreement=draft, user=None)

    with pytest.raises(ValidationError) as excinfo:
        agreement_publish(agreement=draft, user=None)

    assert excinfo.value.messages == [str(rules.ONLY_CONCLUDED_PUBLISHED)]
    draft.refresh_from_db()
    assert not draft.is_public


def test_publish_refuses_an_agreement_left_with_one_party(agreement):
    agreement.parties.last().delete()
    agreement_submit_for_review(agreement=agreement, user=None)

    with pytest.raises(ValidationError) as excinfo:
        agreement_publish(agreement=agreement, user=None)

    assert excinfo.value.messages == [str(rules.TOO_FEW_PARTIES)]
    agreement.refresh_from_db()
    assert not agreement.is_public


def test_withdraw_hides_a_published_agreement(agreement):
    agreement_submit_for_review(agreement=agreement, user=None)
    agreement_publish(agreement=agreement, user=None)

    agreement_withdraw(agreement=agreement, user=None)

    assert not Agreement.objects.published().filter(pk=agreement.pk).exists()
