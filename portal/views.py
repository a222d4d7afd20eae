"""The home page, the site search, the privacy notice and the error pages."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from organizations import search as site_search
from organizations.generation import cached_summary
from organizations.models import Organization, Region
from partnerships.charts import signed_per_year, signings_chart
from partnerships.maps import agreement_map
from partnerships.models import Agreement
from partnerships.search import search_agreements
from portal.middleware import database_unavailable_response, is_database_unavailable

LATEST_AGREEMENTS = 5
SITE_SEARCH_GROUP_SIZE = 10


def home_figures() -> dict[str, Any]:
    """The home page's figures. Each reads a whole table (the status of every published
    agreement, every organisation's region), so they are a cached summary: computed once per
    change of public data and day (``organizations.generation.cached_summary``)."""
    published = Agreement.objects.published()
    return {
        "organization_count": Organization.objects.count(),
        "in_force_count": published.with_status()
        .filter(current_status=Agreement.Status.IN_FORCE)
        .count(),
        # Countries with organisations: one grouped query over the region tree.
        "country_count": len(Region.objects.organization_counts()),
        # Counts only: the chart's labels are made per request, in its language.
        "signings": signed_per_year(published),
    }


def home(request: HttpRequest) -> HttpResponse:
    published = Agreement.objects.published()
    figures = cached_summary("home-figures", home_figures)
    context = {
        "latest_agreements": published.with_status().with_parties()[:LATEST_AGREEMENTS],
        **figures,
        "signings_chart": signings_chart(figures["signings"]),
        # Every published partnership, aggregated: a summary per language (its labels).
        "world_map": cached_summary(f"home-map-{get_language()}", lambda: agreement_map(published)),
    }
    return render(request, "portal/home.html", context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a request context: no context processors, no database.

    An unavailable database raised outside a view (in a middleware) answers the 503 page, as
    ``DatabaseUnavailableMiddleware`` does for views: Django calls this inside its handler of
    the exception, so the exception is still at hand.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Site-wide search: organisations, published agreements and public people, by type.

    It spans both apps, so it lives in the project (``portal``), not in ``organizations``."""
    found = site_search.search_organizations(q=request.GET.get("q", ""))
    query = found.query
    context = {"query": query, "found": found, "searched": not query.is_empty}
    if not query.is_empty:
        agreements, agreement_count = search_agreements(
            query, limit=SITE_SEARCH_GROUP_SIZE, parties_by_exact_name=found.results.capped
        )
        people, person_count = site_search.search_people(query, limit=SITE_SEARCH_GROUP_SIZE)
        context |= {
            "organizations": found.results[0:SITE_SEARCH_GROUP_SIZE],
            "organization_count": found.results.total,
            "agreements": agreements,
            "agreement_count": agreement_count,
            "people": people,
            "person_count": person_count,
            "cap": site_search.RESULT_CAP,
        }
    return render(request, "portal/search.html", context)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what the portal holds about people, why, and whom to ask.

    The operator comes from the settings (``PORTAL_OPERATOR_NAME``/``PORTAL_OPERATOR_EMAIL``);
    unset, the page shows a placeholder that says what to configure."""
    context = {
        "operator_name": settings.PORTAL_OPERATOR_NAME,
        "operator_email": settings.PORTAL_OPERATOR_EMAIL,
    }
    return render(request, "portal/privacy.html", context)
