from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from organizations.models import Affiliation, Organization, Region, region_tree
from partnerships.models import Agreement

PAGE_SIZE = 25
REGION_AGREEMENTS_SHOWN = 10


def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.for_listing()
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/organization_list.html", {"page_obj": page})


def search(request: HttpRequest) -> HttpResponse:
    """Placeholder for the site search (being built separately): hands the query to the
    organisation list so that the search box in the header works meanwhile."""
    query = request.GET.get("q", "")
    url = reverse("organizations:organization_list")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


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
        "contacts": Affiliation.objects.public()
        .current()
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
