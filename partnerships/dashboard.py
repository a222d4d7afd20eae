"""The admin's start page for a cluster manager: their organisations, their agreements by
publication state, what waits for their approval, what expires within six months, and which
have gone dormant (no activity for ``PORTAL_DORMANT_MONTHS``, partnerships/health.py), each with
an "Add activity" link.

Five queries whatever the number of records (the organisations, the counts by state, the first
agreements waiting, the first expiring, the first dormant); the lists are cut at
:data:`LIST_LENGTH`, with a link to the whole list where the changelist can show it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.access import managed_organization_ids
from organizations.models import Organization
from partnerships import health, terms
from partnerships.models import Agreement, AgreementParty

EXPIRING_WITHIN_DAYS = 183  # six months
LIST_LENGTH = 10


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    date: datetime.date | None = None


@dataclass
class ManagerDashboard:
    organizations: list[Link]
    by_publication: list[Link]
    awaiting: list[Link]
    awaiting_url: str
    expiring: list[Link]
    expiring_until: datetime.date
    more_awaiting: bool = False
    more_expiring: bool = False
    mine_url: str = ""
    # Dormant agreements (partnerships/health.py), each with its "Add activity" link (issue 21).
    dormant: list[DormantLink] = field(default_factory=list)
    more_dormant: bool = False
    dormant_months: int = 12


@dataclass
class DormantLink:
    label: str
    url: str
    last_activity: datetime.date | None
    add_activity_url: str


def _changelist(site_name: str, **filters: str) -> str:
    url = reverse("admin:partnerships_agreement_changelist", current_app=site_name)
    return f"{url}?{urlencode(filters)}" if filters else url


def _change(site_name: str, agreement_id: int) -> str:
    return reverse(
        "admin:partnerships_agreement_change", args=[agreement_id], current_app=site_name
    )


def manager_dashboard(
    user: Any, *, site_name: str = "admin", today: datetime.date | None = None
) -> ManagerDashboard | None:
    """The dashboard of ``user``, or None if they manage no organisation."""
    managed = managed_organization_ids(user)
    if not managed:
        return None
    today = today or timezone.localdate()
    ids = sorted(managed)
    organizations = [
        Link(
            label=str(organization),
            url=reverse(
                "admin:organizations_organization_change",
                args=[organization.pk],
                current_app=site_name,
            ),
        )
        for organization in Organization.objects.filter(pk__in=ids).order_by("name")
    ]
    theirs = Agreement.objects.filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), organization_id__in=ids))
    )
    counts = dict(
        theirs.order_by()
        .values_list("publication")
        .annotate(count=Count("pk"))
        .values_list("publication", "count")
    )
    by_publication = [
        Link(
            label=str(label),
            url=_changelist(site_name, party="mine", publication__exact=value),
            count=counts.get(value, 0),
        )
        for value, label in Agreement.Publication.choices
    ]
    awaiting = list(
        Agreement.objects.awaiting_approval(ids)
        .order_by("title", "pk")
        .only("pk", "title")[: LIST_LENGTH + 1]
    )
    until = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    expiring = list(
        theirs.annotate(end_date=terms.end_date_expression())  # as with_end_date(), typed
        .filter(
            state=Agreement.State.CONCLUDED,
            terminated_on__isnull=True,
            end_date__gte=today,
            end_date__lte=until,
        )
        .order_by("end_date", "title", "pk")
        .only("pk", "title")[: LIST_LENGTH + 1]
    )
    own_party = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), organization_id__in=ids
    ).order_by("pk")
    dormant = list(
        health.dormant(theirs, today)
        .annotate(own_party=Subquery(own_party.values("pk")[:1]))
        .order_by(F("last_activity").asc(nulls_first=True), "title", "pk")
        .only("pk", "title")[: LIST_LENGTH + 1]
    )
    return ManagerDashboard(
        organizations=organizations,
        by_publication=by_publication,
        awaiting=[
            Link(label=agreement.title, url=_change(site_name, agreement.pk))
            for agreement in awaiting[:LIST_LENGTH]
        ],
        more_awaiting=len(awaiting) > LIST_LENGTH,
        awaiting_url=_changelist(site_name, awaiting="me"),
        expiring=[
            Link(
                label=agreement.title,
                url=_change(site_name, agreement.pk),
                date=agreement.end_date,
            )
            for agreement in expiring[:LIST_LENGTH]
        ],
        more_expiring=len(expiring) > LIST_LENGTH,
        expiring_until=until,
        mine_url=_changelist(site_name, party="mine"),
        dormant=[
            DormantLink(
                label=agreement.title,
                url=_change(site_name, agreement.pk),
                last_activity=agreement.last_activity,
                add_activity_url=add_activity_url(agreement.pk, [agreement.own_party], site_name),
            )
            for agreement in dormant[:LIST_LENGTH]
        ],
        more_dormant=len(dormant) > LIST_LENGTH,
        dormant_months=health.dormant_months(),
    )


def add_activity_url(agreement_id: int, party_ids: list[int], site_name: str = "admin") -> str:
    """The "Add activity" link: the agreement and the manager's own party already chosen."""
    url = reverse("admin:partnerships_activity_add", current_app=site_name)
    query = {"agreement": str(agreement_id)}
    if party_ids:
        query["parties"] = ",".join(str(pk) for pk in party_ids)
    return f"{url}?{urlencode(query)}"
