from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from organizations import search as site_search
from organizations.models import FocusArea, Organization, Region

PAGE_SIZE = 25
SITE_SEARCH_GROUP_SIZE = 10


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    """Organisations, filtered by text (``q``), region (``region``: slug, ISO code or name),
    focus area (``focus``: slug) and kind (``kind``); ranked by relevance when there is text."""
    focus_areas = list(FocusArea.objects.order_by("name_en"))
    focus_slug = site_search.clean_input(request.GET.get("focus"))
    focus = next((area for area in focus_areas if area.slug == focus_slug), None)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    found = site_search.search_organizations(
        q=request.GET.get("q", ""),
        region=request.GET.get("region", ""),
        focus_area_id=focus.pk if focus else None,
        kind=kind,
    )
    page = Paginator(found.results, PAGE_SIZE).get_page(request.GET.get("page"))
    region_value = site_search.region_label(found.region) if found.region else found.region_input
    return render(
        request,
        "organizations/organization_list.html",
        {
            "page_obj": page,
            "found": found,
            "query": found.query,
            "region_value": region_value,
            "focus_areas": focus_areas,
            "focus": focus,
            "kinds": Organization.Kind.choices,
            "kind": kind,
            "is_filtered": bool(found.query.raw or found.region_input or focus or kind),
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Site-wide search: organisations, published agreements and public people, by type."""
    found = site_search.search_organizations(q=request.GET.get("q", ""))
    query = found.query
    context = {"query": query, "found": found, "searched": not query.is_empty}
    if not query.is_empty:
        agreements, agreement_count = site_search.search_agreements(
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
    return render(request, "search/search.html", context)


@require_safe
def region_suggest(request: HttpRequest) -> JsonResponse:
    """Regions for the region picker as the visitor types: ``{"results": [{value, label}]}``.

    ``value`` is what the picker submits (``Bavaria (DE-BY)``), which the organisation list
    resolves back to the region.
    """
    regions = site_search.suggest_regions(request.GET.get("q", ""), limit=10)
    language = get_language()
    results = []
    for region in regions:
        # The picker shows the label beside the value: say what and where the region is.
        label = region.get_kind_display()
        if region.parent:
            label = f"{label}, {region.parent.name}"
        results.append(
            {
                "value": site_search.region_label(region),
                "label": str(label),
                "slug": region.slug,
                "code": region.iso_code,
            }
        )
    response = JsonResponse({"results": results, "language": language})
    response["Cache-Control"] = "public, max-age=300"
    return response


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_listing(), slug=slug)
    return render(request, "organizations/organization_detail.html", {"organization": organization})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    organizations = Organization.objects.in_region(region).for_listing()
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/region_detail.html", {"region": region, "page_obj": page})
