"""iCalendar (RFC 5545) files of signing events: one per event, and a subscribable feed of all.

The calendar's own properties are built with the ``icalendar`` package, the VEVENTs written
directly in the same form (``icalendar`` cost about 1 ms per event). Only signing events of
published agreements are public.
Signings are all-day events (``DTSTART;VALUE=DATE``): the portal records the date, not the hour.
The UID depends only on the signing event's pk and the host, so a calendar that subscribed to the
feed updates the event instead of duplicating it, in whatever language it was fetched.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from partnerships.models import Agreement, SigningEvent

PRODID = "-//Cluster Partnership Portal//Signing events//EN"
# The subscribable feed holds the latest signings only: every signing of 100,000 organisations'
# agreements (about 6,000) took over 30 s to render, and a calendar needs what is recent.
FEED_SIGNINGS = 200
REFRESH_INTERVAL = datetime.timedelta(hours=12)


def public_signing_events() -> QuerySet[SigningEvent]:
    """Signing events of published agreements, with everything a VEVENT needs (one query)."""
    return SigningEvent.objects.public().select_related(
        "agreement", "place", "occasion", "occasion__region"
    )


def signing_event_location(signing: SigningEvent) -> str:
    """Occasion, venue and place, each once if known: "BIO-Europe 2015, ICM, Munich"."""
    occasion = signing.occasion
    place = signing.place or (occasion.region if occasion else None)
    parts = [
        occasion.name if occasion else "",
        signing.venue or (occasion.venue if occasion else ""),
        place.name if place else "",
    ]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen)


def _uid(signing: SigningEvent, host: str) -> str:
    return f"signing-event-{signing.pk}@{host}"


def _text(value: str) -> str:
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


def _fold(line: str, limit: int = 74) -> str:
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


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def signing_event_vevent(
    signing: SigningEvent, host: str, agreement_url: Callable[[Agreement], str]
) -> str:
    """One VEVENT as text, CRLF-terminated lines.

    Written directly: building an ``icalendar.Event`` per signing cost about 1 ms each (200 in
    the feed). The output is byte for byte what ``icalendar`` wrote (same property order,
    escaping and folding; tests/partnerships/test_calendar.py compares both and parses it back).
    """
    agreement = signing.agreement
    url = agreement_url(agreement)
    description = "\n\n".join(
        text for text in (signing.description, agreement.summary, url) if text
    )
    updated = _utc(agreement.updated_at)
    summary = _("Signing: %(title)s") % {"title": agreement.title}
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;VALUE=DATE:{_date(signing.signed_on)}",
        f"DTEND;VALUE=DATE:{_date(signing.signed_on + datetime.timedelta(days=1))}",
        f"DTSTAMP:{updated}",
        f"UID:{_text(_uid(signing, host))}",
        f"DESCRIPTION:{_text(description)}",
    ]
    place = signing.place or (signing.occasion.region if signing.occasion else None)
    if place is not None and place.latitude is not None and place.longitude is not None:
        lines.append(f"GEO:{float(place.latitude)};{float(place.longitude)}")
    lines.append(f"LAST-MODIFIED:{updated}")
    if location := signing_event_location(signing):
        lines.append(f"LOCATION:{_text(location)}")
    lines += ["TRANSP:TRANSPARENT", f"URL:{url}", "END:VEVENT", ""]
    return "\r\n".join(_fold(line) for line in lines)


def _agreement_urls(request: HttpRequest) -> Callable[[Agreement], str]:
    """The absolute URL of an agreement page, reversed once per calendar (not per signing)."""
    marker = "slug-marker"
    prefix, suffix = request.build_absolute_uri(
        reverse("partnerships:agreement_detail", kwargs={"slug": marker})
    ).split(marker)
    return lambda agreement: f"{prefix}{agreement.slug}{suffix}"


def build_calendar(
    signings: Iterable[SigningEvent], request: HttpRequest, *, name: str, uid: str, url: str = ""
) -> bytes:
    """The VCALENDAR: properties by ``icalendar``, events by :func:`signing_event_vevent`."""
    calendar = icalendar.Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", uid=uid
    )
    # NAME and X-WR-CALNAME are not known to icalendar as text: pass vText so that they are escaped.
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    if url:
        calendar.add("url", url)
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    host = request.get_host()
    agreement_url = _agreement_urls(request)
    events = "".join(signing_event_vevent(signing, host, agreement_url) for signing in signings)
    return head.removesuffix(end) + events.encode() + end


def _ics_response(calendar: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def signing_event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    signing = get_object_or_404(public_signing_events(), pk=pk)
    calendar = build_calendar(
        [signing],
        request,
        name=str(signing.agreement.title),
        uid=f"signing-event-{signing.pk}-calendar@{request.get_host()}",
    )
    return _ics_response(calendar, f"signing-event-{signing.pk}.ics")


@require_safe
def signing_events_ics(request: HttpRequest) -> HttpResponse:
    # Read backwards along partnerships_se_newest (signed_on, id), stopping after FEED_SIGNINGS.
    latest = public_signing_events().order_by("-signed_on", "-pk")[:FEED_SIGNINGS]
    signings = reversed(list(latest))  # oldest first, as before the cap
    calendar = build_calendar(
        signings,
        request,
        name=_("Cluster Partnership Portal: signings"),
        uid=f"signing-events-{get_language()}@{request.get_host()}",
        url=request.build_absolute_uri(reverse("partnerships:signing_events_ics")),
    )
    return _ics_response(calendar, "signing-events.ics")
