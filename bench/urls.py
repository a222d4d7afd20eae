"""The portal's URLs plus the benchmark's baseline, ``/bench/bare/`` (bench settings only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import *  # noqa: F403  (handler404, handler500, ...)
from portal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """The least a Django page can cost on this server: no query, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
