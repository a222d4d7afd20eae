import datetime
from decimal import Decimal

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from core.links import Links
from organizations.models import Visibility
from partnerships import calendar


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


def icalendar_vevent(signing, request) -> bytes:
    """The VEVENT as ``icalendar`` builds it (how calendar.py built it before core/ical.py)."""
    agreement = signing.agreement
    url = request.build_absolute_uri(agreement.get_absolute_url())
    description = "\n\n".join(
        text for text in (signing.description, agreement.summary, url) if text
    )
    event = icalendar.Event.new(
        uid=f"signing-event-{signing.pk}@{request.get_host()}",
        stamp=agreement.updated_at.astimezone(datetime.UTC),
        last_modified=agreement.updated_at.astimezone(datetime.UTC),
        start=signing.signed_on,
        end=signing.signed_on + datetime.timedelta(days=1),
        summary=f"Signing: {agreement.title}",
        description=description,
        location=calendar.signing_event_location(signing) or None,
        url=url,
        transparency=icalendar.TRANSP.TRANSPARENT,
    )
    place = signing.place or (signing.occasion.region if signing.occasion else None)
    if place is not None and place.latitude is not None and place.longitude is not None:
        event.add("geo", (float(place.latitude), float(place.longitude)))
    return event.to_ical()


AWKWARD_TEXTS = [
    "Example",
    "Example; agreement, renewed \\ with a backslash",
    # Escapes and multi-byte characters at every position of the 74-octet fold.
    *("x" * n + "\\,;^" + "é" * 40 for n in range(60, 80)),
    *("y" * n + "日本語の協定" * 20 for n in range(60, 64)),
    "Line one\nLine two\r\nLine three\rLine four \\N five",
    "Emoji 🤝 " * 30,
    "x" * 64 + "^" * 30,
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_written_vevent_is_what_icalendar_writes(
    rf, signing_event_factory, event_factory, region_factory, text
):
    place = region_factory(
        name=f"City, {text}"[:200],
        kind="city",
        latitude=Decimal("48.1"),
        longitude=Decimal("-11.5"),
    )
    occasion = event_factory(name=f"Fair {text}"[:200], venue=text[:200], region=place)
    signing = signing_event_factory(
        occasion=occasion,
        description=text,
        agreement__title=text[:200],
        agreement__summary=text,
    )
    signing = calendar.public_signing_events().get(pk=signing.pk)
    request = rf.get("/en/signing-events.ics")
    host, agreement_url = request.get_host(), Links(request).page

    with translation.override("en"):
        written = calendar.signing_event_vevent(signing, host, agreement_url).encode()
        assert written == icalendar_vevent(signing, request)
    (parsed,) = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + written + b"END:VCALENDAR\r\n"
    ).walk("VEVENT")
    # Line ends come back as "\n", as icalendar writes them.
    newlines = text[:200].replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")
    assert str(parsed["summary"]) == f"Signing: {newlines}"
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))


def test_feed_round_trips_through_icalendar(client, signing_event_factory, region_factory):
    place = region_factory(kind="city", latitude=Decimal("35.0"), longitude=Decimal("135.75"))
    signings = [
        signing_event_factory(
            place=place,
            signed_on=datetime.date(2015, 1, day),
            agreement__title_ja=f"共同研究協定 {day}、更新; \\ " * 5,
        )
        for day in (1, 2, 3)
    ]

    body = client.get("/ja/signing-events.ics").content
    parsed = icalendar.Calendar.from_ical(body)

    assert parsed.to_ical() == body  # icalendar writes it back byte for byte
    events = parsed.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"signing-event-{s.pk}@testserver" for s in signings]
    assert str(events[0]["summary"]) == "署名：" + "共同研究協定 1、更新; \\ " * 5  # noqa: RUF001 - the Japanese colon
    assert (events[0]["geo"].latitude, events[0]["geo"].longitude) == (35.0, 135.75)
    assert str(parsed["url"]) == "http://testserver/ja/signing-events.ics"


def test_feed_filtered_by_region_lists_only_signings_of_that_regions_agreements(
    client, signing_event_factory, agreement_party_factory, subdivision_factory
):
    bavaria = subdivision_factory(iso_code="DE-BY")
    bavarian = signing_event_factory()
    agreement_party_factory(agreement=bavarian.agreement, organization__region=bavaria)
    elsewhere = signing_event_factory()
    agreement_party_factory(agreement=elsewhere.agreement)

    events = parse(client.get("/en/signing-events.ics", {"region": "DE-BY"})).walk("VEVENT")

    assert [str(e["uid"]) for e in events] == [f"signing-event-{bavarian.pk}@testserver"]


def test_filtered_feed_is_a_calendar_of_its_own(client, signing_event_factory):
    signing_event_factory()

    whole = parse(client.get("/en/signing-events.ics"))
    filtered = parse(client.get("/en/signing-events.ics", {"kind": "mou"}))

    assert str(whole["uid"]) != str(filtered["uid"])
    assert str(filtered["url"]).endswith("/en/signing-events.ics?kind=mou")
