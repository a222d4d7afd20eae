from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from organizations.models import Organization, Region

PAGE_SIZE = 25


def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.for_listing()
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/organization_list.html", {"page_obj": page})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_listing(), slug=slug)
    return render(request, "organizations/organization_detail.html", {"organization": organization})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    organizations = Organization.objects.in_region(region).for_listing()
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/region_detail.html", {"region": region, "page_obj": page})
