"""iCalendar (RFC 5545) files of signing events: one per event, and a subscribable feed of all.

Built with the ``icalendar`` package. Only signing events of published agreements are public.
Signings are all-day events (``DTSTART;VALUE=DATE``): the portal records the date, not the hour.
The UID depends only on the signing event's pk and the host, so a calendar that subscribed to the
feed updates the event instead of duplicating it, in whatever language it was fetched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from partnerships.models import SigningEvent

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


def signing_event_vevent(signing: SigningEvent, request: HttpRequest) -> icalendar.Event:
    agreement = signing.agreement
    url = request.build_absolute_uri(agreement.get_absolute_url())
    description = "\n\n".join(
        text for text in (signing.description, agreement.summary, url) if text
    )
    event = icalendar.Event.new(
        uid=_uid(signing, request.get_host()),
        stamp=agreement.updated_at.astimezone(datetime.UTC),
        last_modified=agreement.updated_at.astimezone(datetime.UTC),
        start=signing.signed_on,
        end=signing.signed_on + datetime.timedelta(days=1),
        summary=_("Signing: %(title)s") % {"title": agreement.title},
        description=description,
        location=signing_event_location(signing) or None,
        url=url,
        # A record of a signing, not a block in anyone's diary.
        transparency=icalendar.TRANSP.TRANSPARENT,
    )
    place = signing.place or (signing.occasion.region if signing.occasion else None)
    if place is not None and place.latitude is not None and place.longitude is not None:
        event.add("geo", (float(place.latitude), float(place.longitude)))
    return event


def build_calendar(
    signings: Iterable[SigningEvent], request: HttpRequest, *, name: str, uid: str
) -> icalendar.Calendar:
    calendar = icalendar.Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", uid=uid
    )
    # NAME and X-WR-CALNAME are not known to icalendar as text: pass vText so that they are escaped.
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    for signing in signings:
        calendar.add_component(signing_event_vevent(signing, request))
    return calendar


def _ics_response(calendar: icalendar.Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
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
    latest = public_signing_events().order_by("-signed_on", "-pk")[:FEED_SIGNINGS]
    signings = reversed(list(latest))  # oldest first, as before the cap
    calendar = build_calendar(
        signings,
        request,
        name=_("Cluster Partnership Portal: signings"),
        uid=f"signing-events-{get_language()}@{request.get_host()}",
    )
    calendar.add("url", request.build_absolute_uri(reverse("partnerships:signing_events_ics")))
    return _ics_response(calendar, "signing-events.ics")
