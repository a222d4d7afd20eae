"""Pages advertise their machine-readable twins: feed, JSON-LD, iCalendar and vCard links."""

from django.urls import reverse

from organizations.models import Visibility


def test_every_page_advertises_the_atom_feed_in_its_head(client, db):
    html = client.get(reverse("partnerships:agreement_list")).content.decode()
    head = html.split("</head>")[0]
    assert 'type="application/atom+xml"' in head
    assert reverse("partnerships:agreement_feed") in head


def test_the_agreement_page_embeds_its_json_ld(client, agreement_party_factory):
    party = agreement_party_factory()
    html = client.get(party.agreement.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html


def test_the_organisation_page_embeds_its_json_ld(client, organization_factory):
    html = client.get(organization_factory().get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html


def test_a_signing_event_links_to_its_calendar_file(client, signing_event_factory):
    signing = signing_event_factory()
    html = client.get(signing.agreement.get_absolute_url()).content.decode()
    assert reverse("partnerships:signing_event_ics", args=[signing.pk]) in html


def test_the_events_page_links_to_the_subscribable_calendar(client, db):
    html = client.get(reverse("partnerships:event_list")).content.decode()
    assert reverse("partnerships:signing_events_ics") in html


def test_a_public_contact_links_to_its_vcard(client, agreement_contact_factory):
    contact = agreement_contact_factory(affiliation__visibility=Visibility.PUBLIC)
    html = client.get(contact.agreement.get_absolute_url()).content.decode()
    assert reverse("organizations:contact_vcard", args=[contact.affiliation.pk]) in html


def test_a_hidden_contact_has_no_vcard_link(client, agreement_contact_factory):
    contact = agreement_contact_factory(affiliation__visibility=Visibility.HIDDEN)
    html = client.get(contact.agreement.get_absolute_url()).content.decode()
    assert reverse("organizations:contact_vcard", args=[contact.affiliation.pk]) not in html


def test_a_contact_position_taken_from_a_dated_source_says_as_of_when(
    client, agreement_contact_factory
):
    import datetime

    contact = agreement_contact_factory(
        affiliation__visibility=Visibility.PUBLIC,
        affiliation__stated_on=datetime.date(2015, 11, 4),
    )
    html = client.get(contact.agreement.get_absolute_url()).content.decode()
    assert "as of 4 November 2015" in html
