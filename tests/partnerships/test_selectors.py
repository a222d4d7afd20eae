"""partnerships/selectors.py: organisations read through their agreements."""

import datetime

from organizations.models import Person
from partnerships.selectors import Cooperation, attach_cooperation, partners_of, public_namings


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


def test_cooperation_counts_published_agreements_in_force_and_partner_countries(
    agreement_party_factory, agreement_factory, region_factory, subdivision_factory
):
    japan = region_factory(name="Testjapan")
    france = region_factory(name="Testfrance")
    party = agreement_party_factory()
    agreement_party_factory(
        agreement=party.agreement, organization__region=subdivision_factory(parent=japan)
    )
    signed_ahead = agreement_factory(effective_from=datetime.date.today() + datetime.timedelta(30))
    agreement_party_factory(agreement=signed_ahead, organization=party.organization)
    agreement_party_factory(agreement=signed_ahead, organization__region=france)
    draft = agreement_party_factory(organization=party.organization, agreement__publication="draft")
    agreement_party_factory(agreement=draft.agreement, organization__region=region_factory())
    organization = party.organization

    attach_cooperation([organization])

    assert organization.cooperation.agreement_count == 2
    assert organization.cooperation.in_force_count == 1
    assert organization.cooperation.partner_countries == [france, japan]


def test_cooperation_of_an_organisation_without_agreements_is_empty(organization_factory):
    organization = organization_factory()

    attach_cooperation([organization])

    assert organization.cooperation == Cooperation()


def test_cooperation_reads_a_fixed_number_of_queries(
    agreement_party_factory, django_assert_num_queries
):
    organizations = []
    for _ in range(4):
        party = agreement_party_factory()
        agreement_party_factory.create_batch(2, agreement=party.agreement)
        organizations.append(party.organization)

    # 1 agreement counts, 2 the partners' regions, 3 those regions' countries
    with django_assert_num_queries(3):
        attach_cooperation(organizations)
