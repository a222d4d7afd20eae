"""Every invariant of the partnerships app, checked twice: the database rejects the bad row by
itself (bypassing ``clean()``), and ``full_clean()`` explains the problem on the right field.
Then the rules only ``clean()`` can check and protected deletes (the derived status and the
terms: tests/partnerships/test_terms.py)."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError

from organizations.models import Organization, Person
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Document,
    Event,
    Signature,
)
from partnerships.terms import DurationUnit

D = datetime.date


def assert_database_rejects(constraint_name, write):
    """Run ``write`` in a savepoint and check the database refused it with ``constraint_name``."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    assert excinfo.value.__cause__.diag.constraint_name == constraint_name


def validation_messages(instance):
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def create_agreement(**fields):
    """Insert an agreement directly, without clean(): only the database can object."""
    values = {"title": "Test agreement", "slug": "test-agreement", "kind": "cooperation"}
    return Agreement.objects.create(**values | fields)


# Event: partnerships_event_ends_after_start


def test_database_rejects_an_event_that_ends_before_it_starts(db):
    assert_database_rejects(
        "partnerships_event_ends_after_start",
        lambda: Event.objects.create(
            name="Example Days",
            slug="example-days",
            starts_on=D(2015, 11, 4),
            ends_on=D(2015, 11, 2),
        ),
    )
    assert not Event.objects.exists()


def test_full_clean_reports_an_event_that_ends_before_it_starts_on_the_end(event_factory):
    event = event_factory.build(starts_on=D(2015, 11, 4), ends_on=D(2015, 11, 2))

    assert validation_messages(event) == {"ends_on": ["An event cannot end before it starts."]}


def test_a_one_day_event_is_valid(event_factory):
    event = event_factory(starts_on=D(2015, 11, 2), ends_on=D(2015, 11, 2))

    event.full_clean()


# Agreement: partnerships_agreement_unique_code


def test_database_rejects_a_second_agreement_with_the_same_code(agreement_factory):
    agreement_factory(code="TEST-2015")
    count = Agreement.objects.count()

    assert_database_rejects(
        "partnerships_agreement_unique_code", lambda: create_agreement(code="TEST-2015")
    )
    assert Agreement.objects.count() == count


def test_database_accepts_many_agreements_without_a_code(agreement_factory):
    agreement_factory(code="")
    agreement_factory(code="")

    assert Agreement.objects.filter(code="").count() == 2


def test_full_clean_reports_a_duplicate_code_on_the_code(agreement_factory):
    agreement_factory(code="TEST-2015")
    duplicate = agreement_factory.build(code="TEST-2015")

    assert validation_messages(duplicate) == {"code": ["Another agreement already has this code."]}


# Agreement: partnerships_agreement_valid_until_after_effective_from


def test_database_rejects_an_agreement_ending_before_it_takes_effect(db):
    assert_database_rejects(
        "partnerships_agreement_valid_until_after_effective_from",
        lambda: create_agreement(
            term="fixed", effective_from=D(2016, 1, 1), valid_until=D(2015, 12, 31)
        ),
    )
    assert not Agreement.objects.exists()


def test_full_clean_reports_an_agreement_ending_before_it_takes_effect(agreement_factory):
    agreement = agreement_factory.build(
        term="fixed", effective_from=D(2016, 1, 1), valid_until=D(2015, 12, 31)
    )

    assert validation_messages(agreement) == {
        "valid_until": ["The agreement cannot end before it takes effect."]
    }


# Agreement: partnerships_agreement_valid_until_after_signing


def test_database_rejects_an_agreement_ending_before_it_was_signed(db):
    assert_database_rejects(
        "partnerships_agreement_valid_until_after_signing",
        lambda: create_agreement(
            state="concluded", signed_on=D(2015, 11, 2), term="fixed", valid_until=D(2015, 11, 1)
        ),
    )
    assert not Agreement.objects.exists()


def test_full_clean_reports_an_agreement_ending_before_it_was_signed(agreement_factory):
    agreement = agreement_factory.build(
        signed_on=D(2015, 11, 2), term="fixed", valid_until=D(2015, 11, 1)
    )

    assert validation_messages(agreement) == {
        "valid_until": ["The agreement cannot end before it was signed."]
    }


# Agreement: partnerships_agreement_not_own_predecessor


def test_database_rejects_an_agreement_that_renews_itself(agreement_factory):
    agreement = agreement_factory()

    assert_database_rejects(
        "partnerships_agreement_not_own_predecessor",
        lambda: Agreement.objects.filter(pk=agreement.pk).update(
            previous=F("pk"), lineage="renews"
        ),
    )
    agreement.refresh_from_db()
    assert (agreement.previous_id, agreement.lineage) == (None, "")


def test_full_clean_reports_an_agreement_that_renews_itself_on_previous(agreement_factory):
    agreement = agreement_factory()
    agreement.previous = agreement
    agreement.lineage = Agreement.Lineage.RENEWS

    assert validation_messages(agreement) == {
        "previous": ["An agreement cannot renew, amend or supersede itself."]
    }


def test_full_clean_reports_a_circular_lineage_on_previous(agreement_factory):
    original = agreement_factory()
    renewal = agreement_factory(previous=original, lineage=Agreement.Lineage.RENEWS)
    original.previous = renewal
    original.lineage = Agreement.Lineage.RENEWS

    assert validation_messages(original) == {
        "previous": [
            "This would make the lineage circular: the earlier agreement builds on this one."
        ]
    }


def test_full_clean_reports_a_longer_circular_lineage_on_previous(agreement_factory):
    first = agreement_factory()
    second = agreement_factory(previous=first, lineage=Agreement.Lineage.AMENDS)
    third = agreement_factory(previous=second, lineage=Agreement.Lineage.RENEWS)
    first.previous = third
    first.lineage = Agreement.Lineage.SUPERSEDES

    assert "previous" in validation_messages(first)


# Agreement: partnerships_agreement_lineage_with_previous


def test_database_rejects_a_lineage_without_an_earlier_agreement(db):
    assert_database_rejects(
        "partnerships_agreement_lineage_with_previous", lambda: create_agreement(lineage="renews")
    )
    assert not Agreement.objects.exists()


def test_database_rejects_an_earlier_agreement_without_a_lineage(agreement_factory):
    original = agreement_factory()

    assert_database_rejects(
        "partnerships_agreement_lineage_with_previous",
        lambda: create_agreement(previous=original, lineage=""),
    )
    assert list(Agreement.objects.all()) == [original]


def test_full_clean_asks_for_the_earlier_agreement_when_a_lineage_is_given(agreement_factory):
    agreement = agreement_factory.build(lineage=Agreement.Lineage.RENEWS)

    assert validation_messages(agreement) == {
        "previous": ["Choose the earlier agreement this one renews."]
    }


def test_full_clean_asks_for_the_lineage_when_an_earlier_agreement_is_given(agreement_factory):
    agreement = agreement_factory.build(previous=agreement_factory(), lineage="")

    assert validation_messages(agreement) == {
        "lineage": ["Say whether this agreement renews, amends or supersedes the earlier one."]
    }


# Agreement: partnerships_agreement_fixed_term_has_end


def test_database_rejects_a_fixed_term_without_an_end(db):
    assert_database_rejects(
        "partnerships_agreement_fixed_term_has_end", lambda: create_agreement(term="fixed")
    )
    assert not Agreement.objects.exists()


def test_database_rejects_an_end_date_on_an_open_ended_agreement(db):
    assert_database_rejects(
        "partnerships_agreement_fixed_term_has_end",
        lambda: create_agreement(term="open_ended", valid_until=D(2020, 1, 1)),
    )
    assert not Agreement.objects.exists()


def test_full_clean_asks_a_fixed_term_agreement_for_its_end(agreement_factory):
    agreement = agreement_factory.build(term=Agreement.Term.FIXED, valid_until=None)

    assert validation_messages(agreement) == {
        "valid_until": ["A fixed-term agreement needs a 'valid until' date or a term length."]
    }


def test_full_clean_reports_an_end_date_on_an_open_ended_agreement_on_the_term(agreement_factory):
    agreement = agreement_factory.build(term=Agreement.Term.OPEN_ENDED, valid_until=D(2020, 1, 1))

    assert validation_messages(agreement) == {
        "term": ["An agreement with a 'valid until' date has a fixed term."]
    }


def test_database_accepts_a_fixed_term_given_as_a_term_length(db):
    create_agreement(term="fixed", term_length=5, term_length_unit="years")

    assert Agreement.objects.get().term_length == 5


def test_database_rejects_a_term_length_on_an_open_ended_agreement(db):
    assert_database_rejects(
        "partnerships_agreement_fixed_term_has_end",
        lambda: create_agreement(term="open_ended", term_length=5),
    )


def test_full_clean_reports_a_term_length_on_an_open_ended_agreement_on_the_term(
    agreement_factory,
):
    agreement = agreement_factory.build(term=Agreement.Term.OPEN_ENDED, term_length=5)

    assert validation_messages(agreement) == {
        "term": ["An agreement with a term length has a fixed term."]
    }


# Agreement: durations as entered, and the end date counted from the term length


def test_term_of_five_years_from_the_signing_ends_the_day_before_the_fifth_anniversary():
    agreement = Agreement(
        signed_on=D(2015, 11, 2), term_length=5, term_length_unit=DurationUnit.YEARS
    )

    assert agreement.ends_on == D(2020, 11, 1)
    assert agreement.end_is_computed


def test_term_counts_from_the_effective_date_when_there_is_one():
    agreement = Agreement(
        signed_on=D(2015, 11, 2),
        effective_from=D(2016, 1, 1),
        term_length=18,
        term_length_unit=DurationUnit.MONTHS,
    )

    assert agreement.ends_on == D(2017, 6, 30)


def test_term_from_the_last_day_of_a_month_ends_before_the_last_day_of_the_later_month():
    agreement = Agreement(
        signed_on=D(2016, 1, 31), term_length=1, term_length_unit=DurationUnit.MONTHS
    )

    assert agreement.ends_on == D(2016, 2, 28)  # 29 February 2016 is the term's first month-day


def test_valid_until_date_wins_over_the_term_length():
    agreement = Agreement(signed_on=D(2015, 11, 2), valid_until=D(2019, 3, 31), term_length=5)

    assert agreement.ends_on == D(2019, 3, 31)
    assert not agreement.end_is_computed


def test_term_length_without_a_start_gives_no_end_date():
    assert Agreement(term_length=5).ends_on is None


@pytest.mark.parametrize(
    ("term_length", "unit", "start"),
    [
        (5, "years", D(2015, 11, 2)),
        (18, "months", D(2016, 1, 1)),
        (1, "months", D(2016, 1, 31)),
        (1, "years", D(2016, 2, 29)),
    ],
)
def test_end_date_in_sql_is_the_end_date_in_python(db, term_length, unit, start):
    create_agreement(
        state="concluded",
        term="fixed",
        signed_on=start,
        term_length=term_length,
        term_length_unit=unit,
    )
    agreement = Agreement.objects.with_end_date().get()

    assert agreement.end_date == agreement.ends_on


def test_agreement_past_its_counted_end_is_expired_in_python_and_in_sql(db):
    create_agreement(
        state="concluded",
        term="fixed",
        signed_on=D(2015, 11, 2),
        term_length=5,
        term_length_unit="years",
    )

    assert Agreement.objects.get().status_on(D(2020, 11, 2)) == Agreement.Status.EXPIRED
    assert Agreement.objects.get().status_on(D(2020, 11, 1)) == Agreement.Status.IN_FORCE
    assert Agreement.objects.with_status(D(2020, 11, 2)).get().current_status == "expired"
    assert Agreement.objects.with_status(D(2020, 11, 1)).get().current_status == "in_force"


@pytest.mark.parametrize(
    ("language", "notice", "term"),
    [
        ("en", "6 months", "1 year"),
        ("de", "6 Monate", "1 Jahr"),
        ("ja", "6か月", "1年"),
    ],
)
def test_durations_are_shown_as_entered_in_each_language(language, notice, term):
    from django.utils import translation

    agreement = Agreement(
        notice_period=6,
        notice_period_unit=DurationUnit.MONTHS,
        term_length=1,
        term_length_unit=DurationUnit.YEARS,
    )

    with translation.override(language):
        assert agreement.notice_period_display == notice
        assert agreement.term_length_display == term


def test_notice_in_weeks_and_days_is_shown_as_entered():
    assert Agreement(notice_period=1, notice_period_unit="weeks").notice_period_display == "1 week"
    assert Agreement(notice_period=90, notice_period_unit="days").notice_period_display == "90 days"


# Agreement: partnerships_agreement_draft_not_signed


def test_database_rejects_a_draft_with_a_signing_date(db):
    assert_database_rejects(
        "partnerships_agreement_draft_not_signed",
        lambda: create_agreement(state="draft", signed_on=D(2015, 11, 2)),
    )
    assert not Agreement.objects.exists()


def test_database_rejects_a_draft_with_a_termination_date(db):
    assert_database_rejects(
        "partnerships_agreement_draft_not_signed",
        lambda: create_agreement(state="draft", terminated_on=D(2015, 11, 2)),
    )
    assert not Agreement.objects.exists()


def test_full_clean_reports_a_signed_draft_on_the_state(agreement_factory):
    agreement = agreement_factory.build(state=Agreement.State.DRAFT, signed_on=D(2015, 11, 2))

    assert validation_messages(agreement) == {
        "state": ["A draft has no signing or termination date: mark it as concluded."]
    }


# Agreement: partnerships_agreement_published_concluded


def test_database_rejects_a_published_draft(db):
    assert_database_rejects(
        "partnerships_agreement_published_concluded",
        lambda: create_agreement(state="draft", publication="published"),
    )
    assert not Agreement.objects.exists()


def test_database_accepts_an_unpublished_draft_and_a_published_concluded_agreement(db):
    create_agreement(state="draft", publication="draft")
    create_agreement(slug="concluded", state="concluded", publication="published")

    assert Agreement.objects.count() == 2


def test_full_clean_reports_a_published_draft_on_the_state(agreement_factory):
    agreement = agreement_factory.build(state=Agreement.State.DRAFT, signed_on=None)
    agreement.publication = Agreement.Publication.PUBLISHED

    assert validation_messages(agreement) == {
        "state": ["Only a concluded agreement can be published."]
    }


# AgreementParty: partnerships_agreementparty_unique_organization


def test_database_rejects_the_same_organisation_twice_as_a_party(agreement_party_factory):
    party = agreement_party_factory()

    assert_database_rejects(
        "partnerships_agreementparty_unique_organization",
        lambda: AgreementParty.objects.create(
            agreement=party.agreement, organization=party.organization
        ),
    )
    assert list(AgreementParty.objects.all()) == [party]


def test_full_clean_reports_the_same_organisation_twice_as_a_party(agreement_party_factory):
    party = agreement_party_factory()
    duplicate = AgreementParty(agreement=party.agreement, organization=party.organization)

    assert validation_messages(duplicate) == {
        NON_FIELD_ERRORS: ["Party with this Agreement and Organisation already exists."]
    }


# Signature: partnerships_signature_unique_person_per_event


def test_database_rejects_a_person_signing_twice_at_one_event(signature_factory):
    signature = signature_factory()

    assert_database_rejects(
        "partnerships_signature_unique_person_per_event",
        lambda: Signature.objects.create(
            signing_event=signature.signing_event, person=signature.person, party=signature.party
        ),
    )
    assert list(Signature.objects.all()) == [signature]


def test_full_clean_reports_a_person_signing_twice_at_one_event(signature_factory):
    signature = signature_factory()
    duplicate = Signature(
        signing_event=signature.signing_event, person=signature.person, party=signature.party
    )

    assert validation_messages(duplicate) == {
        NON_FIELD_ERRORS: ["Signature with this Signing and Signatory already exists."]
    }


# Attendance: partnerships_attendance_unique_person_per_event


def test_database_rejects_a_person_attending_twice_at_one_event(attendance_factory):
    attendance = attendance_factory()

    assert_database_rejects(
        "partnerships_attendance_unique_person_per_event",
        lambda: Attendance.objects.create(
            signing_event=attendance.signing_event, person=attendance.person
        ),
    )
    assert list(Attendance.objects.all()) == [attendance]


def test_full_clean_reports_a_person_attending_twice_at_one_event(attendance_factory):
    attendance = attendance_factory()
    duplicate = Attendance(signing_event=attendance.signing_event, person=attendance.person)

    assert validation_messages(duplicate) == {
        NON_FIELD_ERRORS: ["Attendance with this Signing and Person already exists."]
    }


# AgreementContact: partnerships_agreementcontact_unique_affiliation


def test_database_rejects_the_same_contact_twice_for_an_agreement(agreement_contact_factory):
    contact = agreement_contact_factory()

    assert_database_rejects(
        "partnerships_agreementcontact_unique_affiliation",
        lambda: AgreementContact.objects.create(
            agreement=contact.agreement, party=contact.party, affiliation=contact.affiliation
        ),
    )
    assert list(AgreementContact.objects.all()) == [contact]


def test_full_clean_reports_the_same_contact_twice_for_an_agreement(agreement_contact_factory):
    contact = agreement_contact_factory()
    duplicate = AgreementContact(
        agreement=contact.agreement, party=contact.party, affiliation=contact.affiliation
    )

    assert validation_messages(duplicate) == {
        NON_FIELD_ERRORS: [
            "Agreement contact with this Agreement and Contact point already exists."
        ]
    }


def test_full_clean_reports_a_contact_for_a_party_of_another_agreement_on_the_party(
    agreement_factory, agreement_party_factory, affiliation_factory
):
    other_party = agreement_party_factory()
    contact = AgreementContact(
        agreement=agreement_factory(),
        party=other_party,
        affiliation=affiliation_factory(organization=other_party.organization),
    )

    assert validation_messages(contact) == {"party": ["Choose a party of this agreement."]}


# Document: partnerships_document_has_content


def test_database_rejects_a_document_without_link_file_or_text(agreement_factory):
    agreement = agreement_factory()

    assert_database_rejects(
        "partnerships_document_has_content",
        lambda: Document.objects.create(agreement=agreement, kind="other", title="Empty source"),
    )
    assert not Document.objects.exists()


def test_full_clean_reports_a_document_without_link_file_or_text_once(agreement_factory):
    document = Document(agreement=agreement_factory(), kind="other", title="Empty source")

    assert validation_messages(document) == {
        NON_FIELD_ERRORS: ["Give a link, upload a file or paste the text."]
    }


def test_a_document_with_only_its_text_is_valid(document_factory):
    document = document_factory(url="", text="Test press release text.")

    document.full_clean()


# Rules the database cannot check


def test_full_clean_reports_a_signature_for_a_party_of_another_agreement(
    signing_event_factory, agreement_party_factory, person_factory
):
    signature = Signature(
        signing_event=signing_event_factory(),
        person=person_factory(),
        party=agreement_party_factory(),
    )

    assert validation_messages(signature) == {
        "party": ["The signatory must sign on behalf of a party of this agreement."]
    }


def test_full_clean_reports_an_attendee_who_also_signed(signature_factory):
    signature = signature_factory()
    attendance = Attendance(signing_event=signature.signing_event, person=signature.person)

    assert validation_messages(attendance) == {
        "person": [
            "This person signed the agreement at this signing: record them as a signatory only."
        ]
    }


def test_full_clean_reports_a_signatory_already_recorded_as_an_attendee(
    attendance_factory, agreement_party_factory
):
    attendance = attendance_factory()
    party = agreement_party_factory(agreement=attendance.signing_event.agreement)
    signature = Signature(
        signing_event=attendance.signing_event, person=attendance.person, party=party
    )

    assert validation_messages(signature) == {
        "person": [
            "This person is recorded as attending this signing: "
            "remove the attendance to record them as a signatory."
        ]
    }


def test_full_clean_reports_a_signing_date_outside_the_occasion(
    signing_event_factory, event_factory
):
    occasion = event_factory(
        name="Example Partnering Days 2015", starts_on=D(2015, 11, 2), ends_on=D(2015, 11, 4)
    )
    signing_event = signing_event_factory.build(
        agreement=signing_event_factory().agreement, occasion=occasion, signed_on=D(2015, 11, 5)
    )

    assert validation_messages(signing_event) == {
        "signed_on": [
            "The signing date is outside the dates of Example Partnering Days 2015 "
            "(2015-11-02 – 2015-11-04)."
        ]
    }


@pytest.mark.parametrize("day", [2, 3, 4])
def test_a_signing_on_any_day_of_the_occasion_is_valid(day, signing_event_factory, event_factory):
    occasion = event_factory(starts_on=D(2015, 11, 2), ends_on=D(2015, 11, 4))
    signing_event = signing_event_factory(occasion=occasion, signed_on=D(2015, 11, day))

    signing_event.full_clean()


# Protected deletes


def test_deleting_an_organisation_that_is_a_party_is_refused(agreement_party_factory):
    party = agreement_party_factory()

    with pytest.raises(ProtectedError), transaction.atomic():
        party.organization.delete()
    assert Organization.objects.filter(pk=party.organization_id).exists()
    assert AgreementParty.objects.filter(pk=party.pk).exists()


def test_deleting_a_person_who_signed_is_refused(signature_factory):
    signature = signature_factory()

    with pytest.raises(ProtectedError), transaction.atomic():
        signature.person.delete()
    assert Person.objects.filter(pk=signature.person_id).exists()
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_deleting_an_agreement_that_has_a_successor_is_refused(agreement_factory):
    original = agreement_factory()
    renewal = agreement_factory(previous=original, lineage=Agreement.Lineage.RENEWS)

    with pytest.raises(ProtectedError), transaction.atomic():
        original.delete()
    assert Agreement.objects.filter(pk__in=[original.pk, renewal.pk]).count() == 2


def test_deleting_a_party_that_signed_is_refused(signature_factory):
    signature = signature_factory()

    with pytest.raises(ProtectedError), transaction.atomic():
        signature.party.delete()
    assert AgreementParty.objects.filter(pk=signature.party_id).exists()
