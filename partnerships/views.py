from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from partnerships.models import Agreement, Event

PAGE_SIZE = 25


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.published().with_status().for_listing()
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/agreement_list.html", {"page_obj": page})


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.published().with_status(), slug=slug)
    return render(request, "partnerships/agreement_detail.html", {"agreement": agreement})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("region", "organizer"), slug=slug)
    return render(request, "partnerships/event_detail.html", {"event": event})
