from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from organizations import search as site_search
from organizations.models import Affiliation, FocusArea, Organization, Region, region_tree
from partnerships.models import Agreement

PAGE_SIZE = 25
REGION_AGREEMENTS_SHOWN = 10
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
    organization = get_object_or_404(Organization.objects.for_detail(), slug=slug)
    agreements = (
        Agreement.objects.published()
        .with_status()
        .involving_organization(organization)
        .with_parties()
    )
    context = {
        "organization": organization,
        "breadcrumb": Region.objects.breadcrumb(organization.region),
        "agreements": agreements,
        "partners": Organization.objects.partners_of(organization).select_related("region"),
        "contacts": Affiliation.objects.publishable()
        .filter(organization=organization)
        .select_related("person"),
    }
    return render(request, "organizations/organization_detail.html", context)


def region_list(request: HttpRequest) -> HttpResponse:
    """Countries and regions where organisations are registered, as a tree, with counts."""
    counts = dict(
        Organization.objects.order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    regions = list(Region.objects.filter(pk__in=Region.objects.upward_ids(list(counts))))
    by_id = {r.pk: r for r in regions}
    totals = dict.fromkeys(by_id, 0)
    for region_id, count in counts.items():  # add each organisation to its region's ancestors
        node, seen = by_id.get(region_id), set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            totals[node.pk] += count
            node = by_id.get(node.parent_id)
    tree = [
        (region, depth, totals[region.pk])
        for region, depth in region_tree(regions)
        if region.kind != Region.Kind.MACRO_REGION
    ]
    macro_regions = [r for r in regions if r.kind == Region.Kind.MACRO_REGION]
    return render(
        request,
        "organizations/region_list.html",
        {"tree": tree, "macro_regions": sorted(macro_regions, key=lambda r: str(r.name))},
    )


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    subtree_ids = Region.objects.subtree_ids(region)
    organizations = Organization.objects.filter(region_id__in=subtree_ids).select_related("region")
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    agreements = Agreement.objects.published().involving_regions(subtree_ids)
    partner_region_ids = Region.objects.upward_ids(
        list(
            Organization.objects.filter(agreement_parties__agreement__in=agreements)
            .exclude(region_id__in=subtree_ids)
            .values_list("region_id", flat=True)
            .distinct()
        )
    )
    partner_regions = Region.objects.filter(
        pk__in=partner_region_ids,
        kind__in=[Region.Kind.COUNTRY, Region.Kind.MACRO_REGION],
    )
    context = {
        "region": region,
        "breadcrumb": Region.objects.breadcrumb(region),
        "subregions": region.children.all(),
        "members": region.members.all(),
        "part_of": region.macro_regions.all(),
        "page_obj": page,
        "agreements": agreements.with_status().with_parties()[:REGION_AGREEMENTS_SHOWN],
        "agreement_count": agreements.count(),
        "partner_regions": partner_regions,
    }
    return render(request, "organizations/region_detail.html", context)


def region_pair(request: HttpRequest, slug: str, other_slug: str) -> HttpResponse:
    """Agreements with a party in each of two regions (Bavaria ↔ Kansai)."""
    if slug == other_slug:
        return redirect("organizations:region_detail", slug=slug)
    region = get_object_or_404(Region, slug=slug)
    other = get_object_or_404(Region, slug=other_slug)
    agreements = (
        Agreement.objects.published()
        .involving_regions(Region.objects.subtree_ids(region))
        .involving_regions(Region.objects.subtree_ids(other))
        .with_status()
        .with_parties()
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/region_pair.html",
        {"region": region, "other": other, "page_obj": page},
    )
