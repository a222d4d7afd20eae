"""The home page and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from organizations.models import Organization, Region
from partnerships.models import Agreement

LATEST_AGREEMENTS = 5


def home(request: HttpRequest) -> HttpResponse:
    published = Agreement.objects.published()
    region_ids = list(
        Organization.objects.order_by().values_list("region_id", flat=True).distinct()
    )
    context = {
        "latest_agreements": published.with_status().with_parties()[:LATEST_AGREEMENTS],
        "organization_count": Organization.objects.count(),
        "in_force_count": published.with_status()
        .filter(current_status=Agreement.Status.IN_FORCE)
        .count(),
        "country_count": Region.objects.filter(
            pk__in=Region.objects.upward_ids(region_ids), kind=Region.Kind.COUNTRY
        ).count(),
    }
    return render(request, "portal/home.html", context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a request context: no context processors, no database."""
    return HttpResponseServerError(loader.get_template("500.html").render())
