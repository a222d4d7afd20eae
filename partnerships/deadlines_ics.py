"""A private iCalendar feed of an organisation's renewal deadlines, for its managers.

``/calendar/deadlines/<token>.ics``: the token (a :class:`~partnerships.models.CalendarToken`)
stands for a manager and an organisation; no session is needed, so a calendar application can
subscribe. For each agreement the organisation is a party to (published or not — the feed is
for its managers; drafts have no deadlines), the notice deadline and the end of the current term
(:func:`partnerships.terms.deadlines_on`) are all-day events with UIDs that depend only on
the agreement and the kind of deadline: a renewed term moves the event instead of adding one.
Titles are in the manager's language (their preference, else English); each event links to the
agreement's admin page.

A revoked or unknown token, or one whose user no longer manages the organisation (or is no
longer active), is a 404. The response is private (``Cache-Control: private``): the public
page cache never stores it (portal/caching.py ``storable``). Three queries whatever the number
of agreements: the token, the validators (ETag and Last-Modified), the agreements.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import ical
from core.models import language_of
from organizations.models import ClusterManager
from partnerships.models import Agreement, AgreementParty, CalendarToken
from partnerships.services import calendar_token_digest
from partnerships.terms import deadlines_on

PRODID = "-//Cluster Partnership Portal//Deadlines//EN"


def active_token(token: str) -> CalendarToken:
    """The token's row if it still opens the calendar (one query), else 404: not revoked, its
    user active and still a manager of its organisation."""
    still_manager = ClusterManager.objects.filter(
        user=OuterRef("user"), organization=OuterRef("organization")
    )
    found = (
        CalendarToken.objects.active()
        .filter(Exists(still_manager), token_digest=calendar_token_digest(token))
        .filter(user__is_active=True)
        .select_related("user__preference", "organization")
        .first()
    )
    if found is None:
        raise Http404
    return found


def organization_agreements(calendar: CalendarToken):
    """Every concluded agreement the organisation is a party to, published or not."""
    return Agreement.objects.filter(
        Exists(
            AgreementParty.objects.filter(
                agreement=OuterRef("pk"), organization_id=calendar.organization_id
            )
        ),
        state=Agreement.State.CONCLUDED,
    )


def deadline_events(agreement: Agreement, today: datetime.date, request: HttpRequest) -> list[str]:
    """The agreement's notice deadline (if it has one) and end of term, as VEVENT texts."""
    deadlines = deadlines_on(agreement, today, status=agreement.status)
    if deadlines is None:
        return []
    url = request.build_absolute_uri(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    )
    host = request.get_host()
    days = []
    if deadlines.notice_deadline is not None:
        days.append(("notice", deadlines.notice_deadline, _("Notice deadline: %(title)s")))
    days.append(("end", deadlines.end_of_term, _("End of term: %(title)s")))
    return [
        ical.vevent(
            uid=f"agreement-{agreement.pk}-{kind}@{host}",
            stamp=agreement.updated_at,
            last_modified=agreement.updated_at,
            start=day,
            end=day + datetime.timedelta(days=1),
            summary=title % {"title": agreement.title},
            description=url,
            url=url,
        )
        for kind, day, title in days
    ]


@require_safe
def deadlines_ics(request: HttpRequest, token: str) -> HttpResponseBase:
    calendar_token = active_token(token)
    agreements = organization_agreements(calendar_token)
    today = timezone.localdate()
    language = language_of(calendar_token.user)
    # The feed changes when an agreement does, when one is added or removed, and each day.
    validators = agreements.aggregate(changed=Max("updated_at"), count=Count("pk"))
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    last_modified = max(
        moment
        for moment in (validators["changed"], midnight, calendar_token.created_at)
        if moment is not None
    )
    key = f"{calendar_token.pk}\n{language}\n{today}\n{validators['count']}\n{last_modified}"
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        with translation.override(language):
            response = ical.response(
                build(calendar_token, agreements, today, request), "deadlines.ics"
            )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def build(
    calendar_token: CalendarToken, agreements, today: datetime.date, request: HttpRequest
) -> bytes:
    organization = calendar_token.organization
    return ical.calendar(
        prodid=PRODID,
        uid=f"deadlines-{organization.pk}-{calendar_token.user_id}@{request.get_host()}",
        name=_("Deadlines: %(organization)s") % {"organization": organization},
        events=(
            event
            for agreement in agreements.with_status(today).order_by("pk")
            for event in deadline_events(agreement, today, request)
        ),
    )
