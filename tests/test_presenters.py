"""The presenters' shorter shapes (for JSON-LD and the list downloads) are the full shape less
the parts their callers read otherwise: the same keys in the same order, the same values."""

from __future__ import annotations

from core.presenters import Presentation
from organizations import presenters as organizations_presenters
from partnerships import presenters as partnerships_presenters
from portal.api import views as api


def test_an_organisation_without_focus_areas_is_the_full_dict_less_them(
    organization_factory, focus_area_factory
):
    organization_factory().focus_areas.add(focus_area_factory())
    organization = api.organizations().get()
    how = Presentation()

    full = organizations_presenters.organization(organization, how)
    short = organizations_presenters.organization(organization, how, focus_areas=False)

    assert full["focus_areas"]
    assert short == {key: value for key, value in full.items() if key != "focus_areas"}
    assert list(short) == [key for key in full if key != "focus_areas"]


def test_an_event_without_agreements_is_the_full_dict_less_them(
    event_factory, signing_event_factory
):
    signing = signing_event_factory(occasion=event_factory())
    event = api.events().get()
    how = Presentation()

    full = partnerships_presenters.event(event, how)
    short = partnerships_presenters.event(event, how, agreements=False)

    assert full["agreements"] == [signing.agreement_id]
    assert list(short) == [key for key in full if key != "agreements"]
    assert short == {key: value for key, value in full.items() if key != "agreements"}


def test_an_agreement_without_nested_rows_is_the_full_dict_less_them(agreement_party_factory):
    agreement_party_factory()
    agreement = api.agreements().get()
    how = Presentation()
    nested = {"focus_areas", "parties", "cooperation_areas", "signing_events"}
    nested |= {"statements", "contacts", "documents"}

    full = partnerships_presenters.agreement(agreement, how)
    short = partnerships_presenters.agreement(agreement, how, nested=False)

    assert full["parties"]
    assert list(short) == [key for key in full if key not in nested]
    assert short == {key: value for key, value in full.items() if key not in nested}


def test_a_signing_without_people_is_the_full_dict_less_them(signature_factory):
    signature_factory()
    agreement = api.agreements().get()
    (signing,) = agreement.api_signing_events
    how = Presentation()
    people = {"signatures", "attendances"}

    full = partnerships_presenters.signing_event(signing, how)
    short = partnerships_presenters.signing_event(signing, how, people=False)

    assert full["signatures"]
    assert list(short) == [key for key in full if key not in people]
    assert short == {key: value for key, value in full.items() if key not in people}
