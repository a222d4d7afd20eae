"""The portal's URLs plus a view whose query outlasts the statement timeout, and one with a bug."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def slow(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


urlpatterns = [*urlpatterns, path("slow/", slow), path("broken/", broken)]
