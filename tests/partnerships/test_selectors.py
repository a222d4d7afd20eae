"""partnerships/selectors.py: organisations read through their agreements."""

from partnerships.selectors import partners_of


def test_partners_of_lists_other_parties_of_published_agreements(agreement_party_factory):
    party = agreement_party_factory()
    partner = agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == [partner.organization]


def test_partners_of_ignores_unpublished_agreements(agreement_party_factory):
    party = agreement_party_factory(agreement__publication="draft")
    agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == []
