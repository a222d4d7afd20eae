"""The rules that span rows of an agreement, as plain functions (no database)."""

import pytest
from django.core.exceptions import ValidationError

from partnerships import rules


def refusal(check, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        check(**kwargs)
    return excinfo.value.messages


def test_a_concluded_agreement_with_two_distinct_parties_passes():
    rules.check_parties(concluded=True, organization_ids=[1, 2])


def test_a_concluded_agreement_with_one_party_is_refused():
    assert refusal(rules.check_parties, concluded=True, organization_ids=[1]) == [
        str(rules.TOO_FEW_PARTIES)
    ]


def test_a_draft_may_have_no_party_yet():
    rules.check_parties(concluded=False, organization_ids=[])


def test_the_same_organisation_twice_is_refused_even_in_a_draft():
    assert refusal(rules.check_parties, concluded=False, organization_ids=[1, 1]) == [
        str(rules.PARTY_TWICE)
    ]


def test_a_draft_cannot_be_published():
    assert refusal(rules.check_publishable, concluded=False, party_count=2) == [
        str(rules.ONLY_CONCLUDED_PUBLISHED)
    ]


def test_a_concluded_agreement_with_one_party_cannot_be_published():
    assert refusal(rules.check_publishable, concluded=True, party_count=1) == [
        str(rules.TOO_FEW_PARTIES)
    ]


def test_a_signing_is_recorded_for_a_concluded_agreement_only():
    rules.check_signing_allowed(concluded=True)
    assert refusal(rules.check_signing_allowed, concluded=False) == [
        str(rules.SIGNING_NEEDS_CONCLUDED)
    ]


def test_signatories_attending_names_the_people_listed_as_both():
    assert rules.signatories_attending(signatory_ids=[1, 2], attendee_ids=[2, 3]) == {2}
