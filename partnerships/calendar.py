"""iCalendar (RFC 5545) files of signing events: one per event, and a subscribable feed of all,
written by the portal's one iCalendar writer (``core/ical.py``). Only signing events of
published agreements are public. The feed takes the agreement list's filters
(``signing-events.ics?region=DE-BY``: the signings of the agreements the list finds), read by the
list's one FilterSet (``partnerships/filters.py``).
Signings are all-day events (``DTSTART;VALUE=DATE``): the portal records the date, not the hour.
The UID depends only on the signing event's pk and the host, so a calendar that subscribed to the
feed updates the event instead of duplicating it, in whatever language it was fetched.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import ical
from core.links import Links
from partnerships.filters import AgreementFilterSet
from partnerships.models import Agreement, SigningEvent

PRODID = "-//Cluster Partnership Portal//Signing events//EN"
# The subscribable feed holds the latest signings only: every signing of 100,000 organisations'
# agreements (about 6,000) took over 30 s to render, and a calendar needs what is recent.
FEED_SIGNINGS = 200


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


def signing_event_vevent(
    signing: SigningEvent, host: str, agreement_url: Callable[[Agreement], str]
) -> str:
    """One VEVENT as text (``core.ical.vevent``), CRLF-terminated lines."""
    agreement = signing.agreement
    url = agreement_url(agreement)
    description = "\n\n".join(
        text for text in (signing.description, agreement.summary, url) if text
    )
    place = signing.place or (signing.occasion.region if signing.occasion else None)
    geo = None
    if place is not None and place.latitude is not None and place.longitude is not None:
        geo = (float(place.latitude), float(place.longitude))
    return ical.vevent(
        uid=_uid(signing, host),
        summary=_("Signing: %(title)s") % {"title": agreement.title},
        start=signing.signed_on,
        end=signing.signed_on + datetime.timedelta(days=1),
        stamp=agreement.updated_at,
        last_modified=agreement.updated_at,
        description=description,
        geo=geo,
        location=signing_event_location(signing) or None,
        url=url,
    )


def build_calendar(
    signings: Iterable[SigningEvent], request: HttpRequest, *, name: str, uid: str, url: str = ""
) -> bytes:
    """The VCALENDAR of ``signings``; agreement pages' URLs by ``core.links`` (one reverse)."""
    host = request.get_host()
    agreement_url = Links(request).page
    return ical.calendar(
        prodid=PRODID,
        uid=uid,
        name=name,
        url=url,
        events=(signing_event_vevent(signing, host, agreement_url) for signing in signings),
    )


@require_safe
def signing_event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    signing = get_object_or_404(public_signing_events(), pk=pk)
    calendar = build_calendar(
        [signing],
        request,
        name=str(signing.agreement.title),
        uid=f"signing-event-{signing.pk}-calendar@{request.get_host()}",
    )
    return ical.response(calendar, f"signing-event-{signing.pk}.ics")


def _query_id(query: str) -> str:
    """A filtered calendar's own part of its UID: another filter, another calendar."""
    return f"-{hashlib.sha256(query.encode()).hexdigest()[:16]}" if query else ""


@require_safe
def signing_events_ics(request: HttpRequest) -> HttpResponse:
    # Read backwards along partnerships_se_newest (signed_on, id), stopping after FEED_SIGNINGS.
    signings = public_signing_events()
    filters = AgreementFilterSet(request.GET or None)
    query = filters.subscription_query()
    if query:  # one subquery: the agreements the list finds (unfiltered, every public one)
        signings = signings.filter(agreement__in=filters.qs.order_by().values("pk"))
    latest = signings.order_by("-signed_on", "-pk")[:FEED_SIGNINGS]
    calendar = build_calendar(
        reversed(list(latest)),  # oldest first, as before the cap
        request,
        name=_("Cluster Partnership Portal: signings"),
        uid=f"signing-events-{get_language()}{_query_id(query)}@{request.get_host()}",
        url=request.build_absolute_uri(
            reverse("partnerships:signing_events_ics") + (f"?{query}" if query else "")
        ),
    )
    return ical.response(calendar, "signing-events.ics")
