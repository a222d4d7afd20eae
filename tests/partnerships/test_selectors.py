"""partnerships/selectors.py: organisations read through their agreements."""

from partnerships.selectors import organizations_with_published_agreements, partners_of


def test_partners_of_lists_other_parties_of_published_agreements(agreement_party_factory):
    party = agreement_party_factory()
    partner = agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == [partner.organization]


def test_partners_of_ignores_unpublished_agreements(agreement_party_factory):
    party = agreement_party_factory(agreement__publication="draft")
    agreement_party_factory(agreement=party.agreement)
    assert list(partners_of(party.organization)) == []


def test_with_published_agreements_lists_each_organisation_once(agreement_party_factory):
    party = agreement_party_factory()
    agreement_party_factory(organization=party.organization)
    agreement_party_factory(agreement__publication="draft")
    assert list(organizations_with_published_agreements()) == [party.organization]
