"""The page cache and conditional GET for anonymous visitors.

:class:`PageCacheMiddleware` serves a public page to a visitor without a session from the shared
cache (Redis when ``REDIS_URL`` is set, see the settings), and answers a repeat request that
carries the page's ETag with ``304 Not Modified`` — both *before* the view runs, at the cost of
one query (the generations of what the page read) and one cache lookup; a 304 of a page that
read whole tables only needs no cache lookup, its ETag names the tables.

Pages are stored with the **generations of what they read** (``core/caching.py``; issue 24):
while a page renders, every SQL statement's tables are recorded (and those of the cached
summaries it uses; the agreement and organisation pages read their agreements under the
records' own tags, ``reading_scope``), and the page is stored with those tags and their
generations then, each of which changes in every transaction that writes its table or record,
however it was written (triggers). A request reads the entry, then those generations (one
query), and serves the page if none changed: a write makes the pages that read what it wrote
render again, and leaves the others cached. Keys (``KeyFamily.PAGE``, one entry per page) and
ETags are derived from:

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
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from core.caching import (
    GENERATION,
    KeyFamily,
    cache_key,
    read_tags,
    recording_tables,
    tables_mask,
    tags_from_mask,
    tags_version,
)
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


def etag_for(key: str, names: Iterable[str], tags: dict[str, str]) -> str:
    """The page in this state of the tags it read (``core.caching.tags_version``). When they
    are tables' tags only, followed by those tables (``tables_mask``), so that a conditional
    request is answered from its own validator and the tables' generations, without the cache.
    Weak: the same page, not necessarily the same bytes (gzip output carries random padding)."""
    version = tags_version(names, tags)
    tag = hashlib.sha256(f"{version}\n{key}".encode()).hexdigest()[:32]
    mask = tables_mask(names)
    return f'W/"{tag}-{mask}"' if mask is not None else f'W/"{tag}"'


def _wanted(if_none_match: str) -> list[str]:
    return [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]


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
        key = page_key(request, timezone.localdate())
        cache = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
        wanted = _wanted(request.headers.get("if-none-match", ""))
        # (the tags the page read, their version then, the page): one entry per page, replaced
        # when the page is rendered again.
        entry = cache.get(cache_key(KeyFamily.PAGE, key))
        names = entry[0] if entry is not None else None
        if names is None and wanted:
            # No cache entry: the tables a validator names (tables_mask) do as well.
            masks = [tag.strip('"').partition("-")[2] for tag in wanted]
            names = next((n for n in map(tags_from_mask, masks) if n is not None), None)
        # The generations before anything else is read (and with them the content generation,
        # to tell whether a write committed while a page rendered, below).
        tags = read_tags(names or ())
        if names is not None:
            etag = etag_for(key, names, tags)
            if etag.removeprefix("W/") in wanted:
                return not_modified(etag)
            if entry is not None and entry[1] == tags_version(names, tags):
                hit = thaw(entry[2])
                hit["X-Cache"] = "hit"
                return hit
        with recording_tables() as read:
            response = self.get_response(request)
        if not isinstance(response, HttpResponse) or not storable(request, response):
            return response
        after = read_tags(read)
        if after.get(GENERATION) != tags.get(GENERATION):
            # Public data changed while the page rendered: it may show some of it and not the
            # rest, so no version describes it. Served, not stored.
            response["X-Cache"] = "miss"
            return response
        response["ETag"] = etag_for(key, read, after)
        response["Cache-Control"] = CACHE_CONTROL
        cache.set(
            cache_key(KeyFamily.PAGE, key),
            (sorted(read), tags_version(read, after), freeze(response)),
            settings.PORTAL_PAGE_CACHE_SECONDS,
        )
        response["X-Cache"] = "miss"
        return response
