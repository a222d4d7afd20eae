"""Headers and errors of ``/api/``: CORS for reading, ETag/Last-Modified with 304, JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
CORS_HEADERS = {
    # Public, read-only data without credentials: any site may read it.
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Language, Retry-After",
    "Access-Control-Max-Age": "86400",
}


class ApiMiddleware:
    """For ``/api/`` only: an ETag (a hash of the body) and 304 answers to ``If-None-Match`` /
    ``If-Modified-Since`` (Django's ConditionalGetMiddleware), CORS headers, and JSON instead of
    the HTML error pages (an unknown URL, a server error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = cast(HttpResponse, self.conditional(request))  # synchronous stack
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            status = response.status_code
            html = response
            response = JsonResponse(
                {"detail": HTTPStatus(status).phrase if status in HTTPStatus else "Error"},
                status=status,
            )
            # The 503 of an unavailable database: the API's carries Retry-After like the pages.
            for header in ("Retry-After", "Cache-Control"):
                if header in html:
                    response[header] = html[header]
        for header, value in CORS_HEADERS.items():
            response.headers.setdefault(header, value)
        patch_vary_headers(response, ["Accept-Language"])
        return response
