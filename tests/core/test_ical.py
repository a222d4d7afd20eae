"""The one iCalendar writer (core/ical.py) writes what the ``icalendar`` library writes, byte
for byte, for every property it writes, with awkward texts at every position of the fold."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from core import ical
from tests.partnerships.test_calendar import AWKWARD_TEXTS

STAMP = datetime.datetime(
    2025, 3, 4, 5, 6, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
)
DAY = datetime.date(2015, 11, 2)


def library_vevent(**values) -> bytes:
    geo = values.pop("geo", None)
    event = icalendar.Event.new(transparency=icalendar.TRANSP.TRANSPARENT, **values)
    if geo is not None:
        event.add("geo", geo)
    return event.to_ical()


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_an_event_with_every_property_is_what_icalendar_writes(text):
    values = {
        "uid": f"signing-event-7@{text[:40]}",
        "summary": f"Signing: {text}",
        "start": DAY,
        "end": DAY + datetime.timedelta(days=1),
        "stamp": STAMP,
        "last_modified": STAMP,
        "description": f"{text}\n\nhttps://example.org/en/agreements/x/",
        "geo": (48.1, -11.5),
        "location": f"Fair {text}, Munich",
        "url": "https://example.org/en/agreements/x/",
    }
    written = ical.vevent(**values).encode()

    utc_values = {**values, "stamp": STAMP.astimezone(datetime.UTC)}
    utc_values["last_modified"] = utc_values["stamp"]
    assert written == library_vevent(**utc_values)
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))


@pytest.mark.parametrize("text", AWKWARD_TEXTS[:6])
def test_an_event_without_place_or_location_is_what_icalendar_writes(text):
    # The shape of a deadline (partnerships/deadlines_ics.py).
    url = "https://example.org/admin/partnerships/agreement/7/change/"
    values = {
        "uid": "agreement-7-notice@example.org",
        "summary": f"Notice deadline: {text}",
        "start": DAY,
        "end": DAY + datetime.timedelta(days=1),
        "stamp": STAMP.astimezone(datetime.UTC),
        "last_modified": STAMP.astimezone(datetime.UTC),
        "description": url,
        "url": url,
    }
    assert ical.vevent(**values).encode() == library_vevent(**values)


def test_a_calendar_is_what_icalendar_writes_with_its_events_added():
    events = [
        {
            "uid": f"agreement-{n}-end@example.org",
            "summary": f"End of term: Agreement {n}; renewed, again",
            "start": DAY,
            "end": DAY + datetime.timedelta(days=1),
            "stamp": STAMP.astimezone(datetime.UTC),
            "description": "Text",
        }
        for n in range(3)
    ]
    written = ical.calendar(
        prodid="-//Test//EN",
        uid="calendar@example.org",
        name="Deadlines: Müller, Schmidt; Partner",
        url="https://example.org/en/signing-events.ics",
        events=(ical.vevent(**event) for event in events),
    )

    library = icalendar.Calendar.new(
        prodid="-//Test//EN", calscale="GREGORIAN", method="PUBLISH", uid="calendar@example.org"
    )
    library.add("name", icalendar.vText("Deadlines: Müller, Schmidt; Partner"))
    library.add("x-wr-calname", icalendar.vText("Deadlines: Müller, Schmidt; Partner"))
    library.add("refresh-interval", ical.REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    library.add("url", "https://example.org/en/signing-events.ics")
    for event in events:
        library.add_component(
            icalendar.Event.new(transparency=icalendar.TRANSP.TRANSPARENT, **event)
        )
    assert written == library.to_ical()
    assert icalendar.Calendar.from_ical(written).to_ical() == written
