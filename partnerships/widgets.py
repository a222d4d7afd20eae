"""Embeddable widgets for members' and partners' own websites: an organisation's partners, the
agreements between two regions.

Each is a small page made to be framed (``<iframe src=".../embed/...">``): these two URLs alone
may be framed by any site (``Content-Security-Policy: frame-ancestors *``, no
``X-Frame-Options``); every other page keeps ``frame-ancestors 'none'``. The page is in the
language of its URL, loads nothing but the portal's own stylesheet, runs no script at all
(``script-src 'none'``) and sets no cookie; its links open the portal in a new tab. The snippet
to copy is on the organisation's admin page (``organizations/embed.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from organizations.models import Organization, Region
from partnerships.regions import KeptAgreements, region_pair_agreements, region_pair_facts
from partnerships.selectors import first_rows_and_count, partners_of

WIDGET_PARTNERS_SHOWN = 30
WIDGET_AGREEMENTS_SHOWN = 10

# The portal's policy with two changes: any site may frame the widget, and no script runs.
WIDGET_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "frame-ancestors": ["*"],
    "script-src": [CSP.NONE],
}


def embeddable(view):
    """Framing allowed (this view only), no script, safe methods only."""
    return require_safe(xframe_options_exempt(csp_override(WIDGET_CSP)(view)))


@embeddable
def partners_widget(request: HttpRequest, slug: str) -> HttpResponse:
    """The partners of an organisation's published agreements, with their regions' countries.
    Four queries: the organisation, its partners' ids, the partners, their countries."""
    organization = get_object_or_404(
        Organization.objects.only("name", "slug", *_names("name")), slug=slug
    )
    partners, count = first_rows_and_count(
        partners_of(organization)
        .select_related("region")
        .prefetch_related("region__country")  # type: ignore[misc]  # Region.country: a prefetcher the plugin does not know
        .order_by("name", "pk"),
        WIDGET_PARTNERS_SHOWN,
    )
    return render(
        request,
        "partnerships/widget_partners.html",
        {"organization": organization, "partners": partners, "partner_count": count},
    )


@embeddable
def region_pair_widget(request: HttpRequest, slug: str, other_slug: str) -> HttpResponse:
    """The newest published agreements with a party in each of two regions, with their parties
    and the parties' countries: the first of the region pair page's list, read by id from the
    pair's cached summary (``region_pair_facts``) with its count, as the page reads them (the
    pair's query over every party: 170 ms and a count of 90 ms at 100,000 organisations)."""
    region = get_object_or_404(Region, slug=slug)
    other = get_object_or_404(Region, slug=other_slug)
    facts = region_pair_facts(region, other)
    agreements = KeptAgreements(
        facts.agreements,
        facts.agreement_count,
        lambda: (
            region_pair_agreements(facts.subtree_ids, facts.other_subtree_ids)
            .with_status()
            .with_parties()
        ),
    )[:WIDGET_AGREEMENTS_SHOWN]
    return render(
        request,
        "partnerships/widget_region_pair.html",
        {
            "region": region,
            "other": other,
            "agreements": agreements,
            "agreement_count": facts.agreement_count,
        },
    )


def _names(field: str) -> list[str]:
    return [f"{field}_{code}" for code, _name in settings.LANGUAGES]


__all__ = ["partners_widget", "region_pair_widget"]
