"""The one iCalendar (RFC 5545) writer of the portal's calendar feeds (the signing events'
files and feed, ``partnerships/calendar.py``; the managers' deadlines, ``partnerships/
deadlines_ics.py``).

The calendar's own properties are built with the ``icalendar`` package (once per file); each
VEVENT is written as text in the same form (``icalendar`` cost about 1 ms per event, 200 in the
signing feed): the same property order (``icalendar``'s canonical order, then alphabetical),
escaping and folding. tests/core/test_ical.py compares the two byte for byte.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.http import HttpResponse

# How often a subscribed calendar should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=12)


def text(value: str) -> str:
    r"""A TEXT value escaped as RFC 5545 (3.3.11) and ``icalendar`` escape it: ``\ ; ,`` and
    newlines (``\r\n``, ``\n`` or a lone ``\r`` become ``\n``)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str, limit: int = 74) -> str:
    """A content line folded as RFC 5545 (3.1) and ``icalendar`` fold it: at most 74 octets per
    line, never inside a UTF-8 character, and never right after a ``\\`` or ``^`` (an escape
    stays whole on the next line)."""
    data = line.encode()
    if len(data) <= limit:
        return line
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character
            end -= 1
        last = data[end - 1 : end]
        if last in (b"\\", b"^") and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def date(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def vevent(
    *,
    uid: str,
    summary: str,
    start: datetime.date,
    end: datetime.date,
    stamp: datetime.datetime,
    last_modified: datetime.datetime | None = None,
    description: str | None = None,
    geo: tuple[float, float] | None = None,
    location: str | None = None,
    url: str | None = None,
    transparent: bool = True,
) -> str:
    """An all-day VEVENT (``start`` to ``end``, dates) as text, CRLF-terminated lines: what
    ``icalendar.Event.new(...)`` with the same values writes. Absent values (None) are left
    out."""
    lines = [
        f"SUMMARY:{text(summary)}",
        f"DTSTART;VALUE=DATE:{date(start)}",
        f"DTEND;VALUE=DATE:{date(end)}",
        f"DTSTAMP:{utc(stamp)}",
        f"UID:{text(uid)}",
    ]
    if description is not None:
        lines.append(f"DESCRIPTION:{text(description)}")
    if geo is not None:
        lines.append(f"GEO:{geo[0]};{geo[1]}")
    if last_modified is not None:
        lines.append(f"LAST-MODIFIED:{utc(last_modified)}")
    if location is not None:
        lines.append(f"LOCATION:{text(location)}")
    lines.append(f"TRANSP:{'TRANSPARENT' if transparent else 'OPAQUE'}")
    if url is not None:
        lines.append(f"URL:{url}")
    return "".join(f"{fold(line)}\r\n" for line in ["BEGIN:VEVENT", *lines, "END:VEVENT"])


def calendar(
    *,
    prodid: str,
    uid: str,
    name: str,
    events: Iterable[str],
    url: str = "",
    refresh: datetime.timedelta = REFRESH_INTERVAL,
) -> bytes:
    """A named, subscribable VCALENDAR of ``events`` (:func:`vevent`'s texts)."""
    head = icalendar.Calendar.new(prodid=prodid, calscale="GREGORIAN", method="PUBLISH", uid=uid)
    # NAME and X-WR-CALNAME are not known to icalendar as text: pass vText so that they are escaped.
    head.add("name", icalendar.vText(name))
    head.add("x-wr-calname", icalendar.vText(name))
    head.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    if url:
        head.add("url", url)
    end = b"END:VCALENDAR\r\n"
    return head.to_ical().removesuffix(end) + "".join(events).encode() + end


def response(calendar: bytes, filename: str) -> HttpResponse:
    """The calendar as an inline ``text/calendar`` download named ``filename``."""
    answer = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    return answer
