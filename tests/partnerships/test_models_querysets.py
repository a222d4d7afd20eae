"""Read QuerySet methods of the partnerships app used by the public pages."""

from organizations.models import Visibility
from partnerships.models import Agreement, SigningEvent


def test_involving_regions_finds_agreements_with_a_party_there(agreement_party_factory):
    party = agreement_party_factory()
    agreement_party_factory()
    found = Agreement.objects.involving_regions([party.organization.region_id])
    assert list(found) == [party.agreement]


def test_lineage_ids_reach_earlier_and_later_agreements(agreement_factory):
    first = agreement_factory()
    second = agreement_factory(previous=first, lineage=Agreement.Lineage.RENEWS)
    third = agreement_factory(previous=second, lineage=Agreement.Lineage.AMENDS)
    agreement_factory()
    assert set(Agreement.objects.lineage_ids(second)) == {first.pk, second.pk, third.pk}


def test_for_detail_keeps_only_public_contacts(agreement_contact_factory):
    public = agreement_contact_factory()
    agreement_contact_factory(
        agreement=public.agreement,
        party=public.party,
        affiliation__organization=public.party.organization,
        affiliation__visibility=Visibility.HIDDEN,
    )
    agreement = Agreement.objects.for_detail().get(pk=public.agreement.pk)
    assert agreement.public_contacts == [public]


def test_for_detail_keeps_only_public_documents(document_factory):
    public = document_factory()
    document_factory(agreement=public.agreement, is_public=False)
    agreement = Agreement.objects.for_detail().get(pk=public.agreement.pk)
    assert agreement.public_documents == [public]


def test_public_signing_events_exclude_unpublished_agreements(signing_event_factory):
    shown = signing_event_factory()
    signing_event_factory(agreement__publication="draft")
    assert list(SigningEvent.objects.public()) == [shown]


def test_published_signing_years_are_the_years_of_published_agreements_newest_first(
    agreement_factory, django_assert_num_queries
):
    import datetime

    for day in ("2008-03-01", "2010-12-31", "2010-01-01", "2019-06-30", "2003-01-01"):
        agreement_factory(signed_on=datetime.date.fromisoformat(day))
    agreement_factory(signed_on=datetime.date(2021, 5, 1), publication="in_review")
    agreement_factory(state=Agreement.State.DRAFT, signed_on=None)  # not signed: no year

    with django_assert_num_queries(1):
        years = Agreement.objects.published_signing_years()

    assert years == [2019, 2010, 2008, 2003]


def test_published_signing_years_of_no_agreement_is_empty(db):
    assert Agreement.objects.published_signing_years() == []
