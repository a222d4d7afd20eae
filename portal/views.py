"""The home page, the site search, the privacy notice and the error pages."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.caching import cached_summary
from organizations import search as site_search
from organizations.models import Organization, Region
from partnerships.charts import signed_per_year, signings_chart
from partnerships.maps import published_map
from partnerships.models import Agreement
from partnerships.regions import partner_states
from partnerships.search import search_agreements, search_events
from partnerships.selectors import attach_cooperation
from portal import open_data
from portal.middleware import database_unavailable_response, is_database_unavailable

LATEST_AGREEMENTS = 5
# What each file of the open-data export holds (portal/open_data/), for the open-data page.
OPEN_DATA_FILES = {
    open_data.JSON_FILE: _(
        "Everything in one JSON document (Popolo and schema.org terms): regions, organisations, "
        "people, contact points, events, and agreements with their parties, signings, "
        "statements and documents."
    ),
    open_data.DATAPACKAGE: _(
        "The description of the CSV files (Frictionless Data Package): their columns, types "
        "and keys."
    ),
}
SITE_SEARCH_GROUP_SIZE = 10
SITE_SEARCH_PLACES = 5  # regions, region pairs and events of the site search


def home_figures() -> dict[str, Any]:
    """The home page's figures. Each reads a whole table (the status of every published
    agreement, every organisation's region), so they are a cached summary: computed once per
    change of public data and day (``core.caching.cached_summary``)."""
    published = Agreement.objects.published()
    return {
        "organization_count": Organization.objects.count(),
        # Shown instead of the agreements in force while none is (the demo's are not yet).
        "agreement_count": published.count(),
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
        # Every published partnership, aggregated: a cached summary (partnerships/maps.py).
        "world_map": published_map(),
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
    """Site-wide search: organisations, published agreements, public people, regions (with the
    region pairs of the best one) and events, by type; when nothing is found, the nearest words
    and where to go next.

    It spans both apps, so it lives in the project (``portal``), not in ``organizations``."""
    found = site_search.search_organizations(q=request.GET.get("q", ""))
    query = found.query
    context = {"query": query, "found": found, "searched": not query.is_empty}
    if not query.is_empty:
        agreements, agreement_count = search_agreements(
            query, limit=SITE_SEARCH_GROUP_SIZE, parties_by_exact_name=found.results.capped
        )
        people, person_count = site_search.search_people(query, limit=SITE_SEARCH_GROUP_SIZE)
        organizations = list(found.results[0:SITE_SEARCH_GROUP_SIZE])
        attach_cooperation(organizations)
        regions = site_search.search_regions(query, limit=SITE_SEARCH_PLACES)
        events = search_events(query, limit=SITE_SEARCH_PLACES)
        # The region pairs of the best region ("osaka": Bavaria – Osaka); not of a country,
        # whose partners' states are too many to be an answer.
        best = regions[0] if regions else None
        pairs = (
            [(state, best) for state in partner_states(best, limit=SITE_SEARCH_PLACES)]
            if best is not None and best.kind != Region.Kind.COUNTRY
            else []
        )
        found_nothing = not (organizations or agreements or people or regions or events)
        context |= {
            "regions": regions,
            "region_pairs": pairs,
            "events": events,
            "found_nothing": found_nothing,
            # Nothing found: the indexed words nearest to what was typed, to search instead.
            "nearest_words": site_search.nearest_words(query) if found_nothing else [],
            "organizations": organizations,
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


@require_safe
def open_data_page(request: HttpRequest) -> HttpResponse:
    """The open-data page: the files of the newest export (manage.py export_open_data), their
    sizes, licence and date, the list downloads and the API."""
    run = open_data.latest_run()
    files = []
    if run is not None:
        tables = {table.path: table.title for table in open_data.tables("")}
        for name, size in sorted(
            run.files.items(), key=lambda item: item[0] not in OPEN_DATA_FILES
        ):
            description = OPEN_DATA_FILES.get(name) or tables.get(name, "")
            rows = run.rows.get(name.removesuffix(".csv")) if name.endswith(".csv") else None
            files.append({"name": name, "size": size, "description": description, "rows": rows})
    response = render(
        request,
        "portal/open_data.html",
        {"run": run, "files": files, "license": run.license if run else None},
    )
    # A new export changes the page without changing the data: never from the page cache.
    patch_cache_control(response, private=True)
    return response


@require_safe
def open_data_file(request: HttpRequest, name: str) -> FileResponse:
    """A file of the newest export, by name; 404 for anything the run does not list."""
    run = open_data.latest_run()
    if run is None or name not in run.files or name == open_data.MANIFEST:
        raise Http404
    storage = open_data.open_data_storage()
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    response = FileResponse(
        storage.open(f"{run.directory}/{name}"),
        as_attachment=name.endswith(".csv"),
        filename=name,
        content_type=content_type,
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
