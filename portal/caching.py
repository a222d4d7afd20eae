"""The page cache and conditional GET for anonymous visitors.

:class:`PageCacheMiddleware` serves a public page to a visitor without a session from the shared
cache (Redis when ``REDIS_URL`` is set, see the settings), and answers a repeat request that
carries the page's ETag with ``304 Not Modified`` — both *before* the view runs, at the cost of
one primary-key query (the content generation) and one cache lookup.

Pages are stored under the **content generation** (``core/caching.py``), which changes in every
transaction that changes public data, however it was written: it is the cache *version* of every
page (and part of its ETag), so nothing is ever invalidated, a change simply makes every page of
the old version unreachable (the cache evicts them). Keys (``KeyFamily.PAGE``) and ETags are
derived from:

- the **date** (pages say "upcoming" and "in force" relative to today);
- the **language**, scheme, host, full path with its query string, and the **encoding** the
  client accepts (the cached response is stored compressed, ``portal/compression.py``).

What is cached: GET responses to requests without a session cookie, a messages cookie or an
``Authorization`` header, outside the admin and ``i18n/``, with status 200 or 301, that
neither set a cookie, nor vary on it, nor touched the session, nor used the CSP nonce, nor are
streamed or larger than :data:`MAX_SIZE`. A signed-in editor always gets a fresh page.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from core.caching import KeyFamily, cache_key, cache_version, current_generation
from portal.compression import accepted_encoding

# Not 404 (nor any error): every distinct missing URL would be a key of its own for a day —
# a fuzz run grew Redis to 82 MB. The cache's size is bounded by its policy too: LocMemCache's
# MAX_ENTRIES (settings), Redis's maxmemory with allkeys-lru (docs/deployment).
CACHEABLE_STATUS = frozenset({200, 301})
MAX_SIZE = 2 * 1024 * 1024  # bytes, compressed; larger pages are rendered each time
# Browsers and proxies keep the page but ask again each time (and get a 304 while it holds).
CACHE_CONTROL = "no-cache"
STORED_HEADERS_EXCLUDED = frozenset({"set-cookie"})


API_PREFIX = "/api/"


def page_cache_enabled() -> bool:
    return bool(getattr(settings, "PORTAL_PAGE_CACHE", True))


def is_anonymous_public_request(request: HttpRequest) -> bool:
    """A request whose answer is the same for every visitor (no session, no credentials)."""
    path = request.path_info
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # django.contrib.messages' CookieStorage
        and "authorization" not in request.headers
        and not path.startswith(("/" + settings.ADMIN_URL, "/i18n/"))
    )


def page_key(request: HttpRequest, today: datetime.date) -> str:
    """The page's key within its content generation (which is the cache version)."""
    parts = [
        today.isoformat(),
        get_language() or "",
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        accepted_encoding(request),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def etag_for(key: str, content_generation: str) -> str:
    """The page in this content generation. Weak: the same page, not necessarily the same bytes
    (gzip output carries random padding)."""
    tag = hashlib.sha256(f"{content_generation}\n{key}".encode()).hexdigest()
    return f'W/"{tag[:32]}"'


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    session = getattr(request, "session", None)
    nonce = getattr(request, "_csp_nonce", None)
    return (
        request.method == "GET"
        and isinstance(response, HttpResponse)
        and response.status_code in CACHEABLE_STATUS
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not (session is not None and session.accessed)
        and not nonce  # a LazyNonce is true once a template used it
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_SIZE
    )


def freeze(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in STORED_HEADERS_EXCLUDED
    ]
    return response.status_code, headers, response.content


def thaw(stored: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class PageCacheMiddleware:
    """Placed after LocaleMiddleware (the language is known) and before the compression, CSRF,
    authentication and message middleware (a hit skips them, and stored pages are compressed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The API (portal/api) answers its own conditional requests and throttles every call:
        # a page cache in front of it would bypass the throttle.
        if not (
            page_cache_enabled()
            and is_anonymous_public_request(request)
            and not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        generation = current_generation()
        key = page_key(request, timezone.localdate())
        etag = etag_for(key, generation)
        if_none_match = request.headers.get("if-none-match", "")
        if if_none_match:
            wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
            if etag.removeprefix("W/") in wanted:
                return not_modified(etag)
        cache = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
        stored = cache.get(cache_key(KeyFamily.PAGE, key), version=cache_version(generation))
        if stored is not None:
            hit = thaw(stored)
            hit["X-Cache"] = "hit"
            return hit
        response = self.get_response(request)
        if not isinstance(response, HttpResponse) or not storable(request, response):
            return response
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        cache.set(
            cache_key(KeyFamily.PAGE, key),
            freeze(response),
            settings.PORTAL_PAGE_CACHE_SECONDS,
            version=cache_version(generation),
        )
        response["X-Cache"] = "miss"
        return response
