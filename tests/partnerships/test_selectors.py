"""partnerships/selectors.py: organisations read through their agreements."""

from organizations.models import Person
from partnerships.selectors import partners_of, public_namings


def test_partners_of_lists_other_parties_of_published_agreements(agreement_party_factory):
    party = agreement_party_factory()
    partner = agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == [partner.organization]


def test_partners_of_ignores_unpublished_agreements(agreement_party_factory):
    party = agreement_party_factory(agreement__publication="draft")
    agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == []


def test_a_person_only_a_published_agreement_names_is_public_with_its_namings(
    signature_factory, statement_factory, person_factory
):
    signatory = signature_factory().person
    speaker = statement_factory().person
    unpublished = statement_factory(agreement__state="draft", agreement__signed_on=None).person
    nobody = person_factory()

    assert not Person.objects.public().exists()
    named = set(Person.objects.public(named_in=public_namings()))
    assert named == {signatory, speaker}
    assert unpublished not in named and nobody not in named
