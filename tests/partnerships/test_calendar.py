import datetime
from decimal import Decimal

import icalendar
from django.urls import reverse
from django.utils import translation

from organizations.models import Visibility


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def the_event(client, signing) -> icalendar.Event:
    (event,) = parse(client.get(f"/en/signing-events/{signing.pk}.ics")).walk("VEVENT")
    return event


def test_signing_event_url_is_named_and_language_prefixed(signing_event_factory):
    signing = signing_event_factory()

    with translation.override("ja"):
        url = reverse("partnerships:signing_event_ics", kwargs={"pk": signing.pk})

    assert url == f"/ja/signing-events/{signing.pk}.ics"


def test_signing_event_is_an_all_day_event_on_the_signing_date(client, signing_event_factory):
    signing = signing_event_factory(signed_on=datetime.date(2015, 11, 2))

    event = the_event(client, signing)

    assert event.decoded("dtstart") == datetime.date(2015, 11, 2)
    assert event.decoded("dtend") == datetime.date(2015, 11, 3)
    assert "DTSTART;VALUE=DATE:20151102" in event.to_ical().decode()


def test_signing_event_uid_is_the_same_in_every_language_and_every_download(
    client, signing_event_factory
):
    signing = signing_event_factory()

    uids = {
        str(parse(client.get(f"/{lang}/signing-events/{signing.pk}.ics")).walk("VEVENT")[0]["uid"])
        for lang in ("en", "de", "ja", "en")
    }

    assert uids == {f"signing-event-{signing.pk}@testserver"}


def test_signing_event_uid_is_the_same_in_the_single_file_and_the_feed(
    client, signing_event_factory
):
    signing = signing_event_factory()

    (in_feed,) = parse(client.get("/en/signing-events.ics")).walk("VEVENT")

    assert in_feed["uid"] == the_event(client, signing)["uid"]


def test_signing_event_location_names_the_occasion_venue_and_place(
    client, signing_event_factory, event_factory, region_factory
):
    munich = region_factory(name="Test City", kind="city")
    occasion = event_factory(
        name="Example Partnering Days 2015", venue="Example Hall", region=munich
    )
    signing = signing_event_factory(occasion=occasion, signed_on=occasion.starts_on)

    event = the_event(client, signing)

    assert str(event["location"]) == "Example Partnering Days 2015, Example Hall, Test City"
    assert "LOCATION:Example Partnering Days 2015\\, Example Hall\\, Test City" in (
        event.to_ical().decode()
    )


def test_signing_event_place_with_a_centroid_gives_geo(
    client, signing_event_factory, region_factory
):
    place = region_factory(
        name="Test City", kind="city", latitude=Decimal("48.137"), longitude=Decimal("11.575")
    )
    signing = signing_event_factory(place=place)

    event = the_event(client, signing)

    assert (event["geo"].latitude, event["geo"].longitude) == (48.137, 11.575)


def test_signing_event_summary_and_link_follow_the_language_of_the_url(
    client, signing_event_factory
):
    signing = signing_event_factory(
        agreement__slug="example-renewal",
        agreement__title_en="Example renewal",
        agreement__title_de="Beispielverlängerung",
    )

    (event,) = parse(client.get(f"/de/signing-events/{signing.pk}.ics")).walk("VEVENT")

    assert "Beispielverlängerung" in str(event["summary"])
    assert str(event["url"]) == "http://testserver/de/agreements/example-renewal/"


def test_signing_event_of_an_unpublished_agreement_is_not_found(client, signing_event_factory):
    signing = signing_event_factory(agreement__publication="draft")

    response = client.get(f"/en/signing-events/{signing.pk}.ics")

    assert response.status_code == 404


def test_feed_lists_signing_events_of_published_agreements_only(client, signing_event_factory):
    public = signing_event_factory(agreement__title="Public example agreement")
    signing_event_factory(
        agreement__title="Draft example agreement", agreement__publication="draft"
    )

    events = parse(client.get("/en/signing-events.ics")).walk("VEVENT")

    assert [str(e["uid"]) for e in events] == [f"signing-event-{public.pk}@testserver"]
    assert b"Draft example agreement" not in client.get("/en/signing-events.ics").content


def test_feed_is_a_named_subscribable_calendar(client, signing_event_factory):
    signing_event_factory()

    calendar = parse(client.get("/en/signing-events.ics"))

    assert str(calendar["x-wr-calname"]) == "Cluster Partnership Portal: signings"
    assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
    assert str(calendar["method"]) == "PUBLISH"


def test_feed_query_count_does_not_grow_with_the_events(
    client, signing_event_factory, event_factory, django_assert_num_queries
):
    occasion = event_factory()
    signing_event_factory.create_batch(3, occasion=occasion)

    # one query: signing events joined to agreement, place, occasion and its region
    with django_assert_num_queries(1):
        client.get("/en/signing-events.ics")


def test_text_with_commas_semicolons_and_newlines_round_trips(client, signing_event_factory):
    signing = signing_event_factory(
        agreement__title="Example; agreement, renewed", agreement__summary="Line one\nLine two"
    )

    event = the_event(client, signing)

    assert str(event["summary"]).endswith("Example; agreement, renewed")
    assert str(event["description"]).startswith("Line one\nLine two")


def test_calendar_never_contains_contact_data(
    client, signing_event_factory, affiliation_factory, agreement_contact_factory
):
    signing = signing_event_factory()
    hidden = affiliation_factory(email="hidden@example.org", visibility=Visibility.HIDDEN)
    agreement_contact_factory(agreement=signing.agreement, affiliation=hidden)

    assert b"hidden@example.org" not in client.get("/en/signing-events.ics").content
    assert b"hidden@example.org" not in client.get(f"/en/signing-events/{signing.pk}.ics").content


def test_the_feed_holds_the_latest_signings_only_oldest_first(
    client, signing_event_factory, monkeypatch
):
    from partnerships import calendar

    monkeypatch.setattr(calendar, "FEED_SIGNINGS", 2)
    old, middle, new = (
        signing_event_factory(signed_on=datetime.date(2015, 1, day)) for day in (1, 2, 3)
    )
    body = client.get("/en/signing-events.ics").content.decode()
    assert f"signing-event-{old.pk}@" not in body
    assert body.index(f"signing-event-{middle.pk}@") < body.index(f"signing-event-{new.pk}@")
