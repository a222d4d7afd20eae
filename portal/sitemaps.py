"""The sitemap index, its sections, and robots.txt.

``/sitemap.xml`` is an index (``django.contrib.sitemaps.views.index``) of section pages,
``/sitemap-<section>.xml?p=N``, each with at most ``LOCS_PER_PAGE`` ``<loc>`` entries: every item
once per language (``/en/…``, ``/de/…``, ``/ja/…``), each listing the others as alternates.

The sites framework is not installed: Django's sitemap view then uses ``RequestSite``, so every
``<loc>`` is built from the host and scheme of the request (``ALLOWED_HOSTS`` guards the host).
Only what the public pages show is listed: the home and list pages, published agreements,
organisations, regions with organisations in them, and public events (``Event.objects.public()``).
Region pairs (``/regions/a/b/``) are reached from the region pages.

Bounded work per request, whatever the size of the database:

* Items are plain values (``values()``), ordered by primary key, and only the page's items are
  read; nothing else is queried per item.
* A section's page count is one ``COUNT``; its ``lastmod`` in the index is one ``MAX``, read
  from the end of an ``updated_at`` index.
* Locations are built by splicing the slug into one ``reverse()`` per language
  (``core.links.Links.path``), not with a ``translation.override()`` and ``reverse()`` per
  ``<loc>`` and alternate.

* A page's items are a keyset read: its first key is found in the primary key index (an
  index-only step over the keys before it), then its rows are read from that key on.
* Its XML is written by string formatting (``section``, ``render_page``), not by Django's
  template: an item's locations and alternates are formatted once for its three ``<loc>``.

Rendered pages are cached like every public page (``portal/caching.py``).
"""

from __future__ import annotations

import datetime
import html
import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.links import Links
from organizations.models import Organization, Region
from partnerships.models import Agreement, Event

# The sitemap protocol allows 50,000 URLs (and 50 MB) per file. A page of this many <loc>
# entries (2,000 items, each <loc> with 4 alternates) is 3.3 MB (about 300 KB compressed) and is
# written in 0.4 s at 100,000 organisations on a loaded 2-core machine (Django's template took
# 6.5 s); crawlers read many small files as well as few large ones.
LOCS_PER_PAGE = 6_000


class _LanguageExpanded(Sequence):
    """``items`` × languages, as Django's i18n sitemap expects them, read page by page.

    Django builds the whole list in memory (every item of the table × every language) to
    paginate it; here ``len()`` is one ``COUNT`` and a slice reads only the items it covers.
    """

    def __init__(self, items: QuerySet, languages: list[str]) -> None:
        self.items = items
        self.languages = languages

    def __len__(self) -> int:
        return self.items.count() * len(self.languages)

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            raise TypeError("Sitemap items support slices only")
        n = len(self.languages)
        start = index.start or 0
        stop = index.stop if index.stop is not None else len(self)
        first, last = start // n, math.ceil(stop / n)
        expanded = [
            (item, language) for item in self._read(first, last) for language in self.languages
        ]
        return expanded[start - first * n : stop - first * n]

    def _read(self, first: int, last: int) -> list[dict]:
        """Items ``first`` to ``last`` in primary-key order, as a keyset read: the page's first
        key is found by stepping over the keys before it in the primary key index (an
        index-only scan, no row is read), then the page's rows are read from that key on."""
        if first == 0:
            return list(self.items[: last - first])
        keys = self.items.values_list("pk", flat=True)
        start_key = keys[first : first + 1]
        return list(self.items.filter(pk__gte=start_key)[: last - first])


class _I18nSitemap(Sitemap):
    """Each item once per language, each listing the others; items are ``values()`` dicts."""

    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL: LocaleMiddleware redirects it by Accept-Language
    url_name = ""  # the detail page's URL name, with a ``slug`` argument
    lastmod_field: str | None = None

    def __init__(self) -> None:
        self.language_codes = [code for code, _name in settings.LANGUAGES]
        self.limit = (LOCS_PER_PAGE // len(self.language_codes)) * len(self.language_codes)
        self._links = Links()

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        fields = ["pk", "slug", *([self.lastmod_field] if self.lastmod_field else [])]
        return self.queryset().order_by("pk").values(*fields)

    @property
    def paginator(self):  # a lazy sequence instead of Django's list of every item
        from django.core.paginator import Paginator

        return Paginator(_LanguageExpanded(self.items(), self.language_codes), self.limit)

    def get_languages_for_item(self, item: Any) -> list[str]:
        return self.language_codes

    def path(self, item: Any, language: str) -> str:
        return self._links.path(self.url_name, item["slug"], language)

    # Django calls this private hook for every <loc> and alternate, each time inside a
    # translation.override(); formatting one reversed path per language is ~50 times cheaper.
    # tests/test_sitemaps.py checks the locations and alternates it gives.
    def _location(self, item: Any, force_lang_code: str | None = None) -> str:
        obj, language = item
        return self.path(obj, force_lang_code or language)

    def render_page(self, page: Any, origin: str) -> tuple[str, Any]:
        """(the ``<url>`` elements of ``page``, the latest ``lastmod`` on it), written directly:
        an item's locations and its block of alternates are formatted once for its three
        ``<loc>``, instead of Django's dictionary per ``<loc>`` and escaping per attribute."""
        parts: list[str] = []
        latest = None
        block: tuple[int, dict[str, str], str, str] | None = None
        tail = "".join(
            f"<{tag}>{value}</{tag}>"
            for tag, value in (
                ("changefreq", getattr(self, "changefreq", None)),
                ("priority", getattr(self, "priority", None)),
            )
            if value
        )
        for item, language in self.paginator.page(page).object_list:
            if block is None or block[0] != item["pk"]:
                hrefs = {
                    code: html.escape(origin + self.path(item, code))
                    for code in self.language_codes
                }
                default = settings.LANGUAGE_CODE
                hrefs["x-default"] = hrefs[default].replace(f"/{default}/", "/", 1)
                alternates = "".join(
                    f'<xhtml:link rel="alternate" hreflang="{code}" href="{href}"/>'
                    for code, href in hrefs.items()
                )
                lastmod = self.lastmod(item)
                if lastmod is not None and (latest is None or lastmod > latest):
                    latest = lastmod
                day = f"<lastmod>{_day(lastmod)}</lastmod>" if lastmod else ""
                block = (item["pk"], hrefs, day + tail, alternates)
            _pk, hrefs, middle, alternates = block
            parts.append(f"<url><loc>{hrefs[language]}</loc>{middle}{alternates}</url>")
        return "".join(parts), latest

    def lastmod(self, item: dict) -> Any:
        return item[self.lastmod_field] if self.lastmod_field else None

    def get_latest_lastmod(self) -> Any:
        """The index's ``<lastmod>`` of this section: one ``MAX`` instead of reading every item."""
        if not self.lastmod_field:
            return None
        return self.queryset().aggregate(latest=Max(self.lastmod_field))["latest"]


class ListPageSitemap(Sitemap):
    """The home page and the list pages (their further pages and filters are not listed)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.9

    def items(self) -> list[str]:
        return [
            "home",
            "partnerships:agreement_list",
            "organizations:organization_list",
            "organizations:region_list",
            "partnerships:event_list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class AgreementSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.8
    url_name = "partnerships:agreement_detail"
    lastmod_field = "updated_at"

    def queryset(self) -> QuerySet:
        return Agreement.objects.published()


class OrganizationSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.6
    url_name = "partnerships:organization_detail"
    lastmod_field = "updated_at"

    def queryset(self) -> QuerySet:
        return Organization.objects.all()


class RegionSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.5
    url_name = "partnerships:region_detail"

    def queryset(self) -> QuerySet:
        # A region page lists the organisations of its whole subtree, so a country with
        # organisations only in its states counts, and so does a macro-region (Kansai) whose
        # members have organisations: every region on the way up from an organisation's region.
        return Region.objects.with_organizations()


class EventSitemap(_I18nSitemap):
    changefreq = "yearly"
    priority = 0.4
    url_name = "partnerships:event_detail"

    def queryset(self) -> QuerySet:
        return Event.objects.public()


_URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
# Django's template writes the <url> elements in {% spaceless %}: one line, then this.
_URLSET_CLOSE = "\n</urlset>\n"


def _day(value: Any) -> str:
    """``lastmod`` as Django's sitemap template writes it (``|date:"Y-m-d"``, local time)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().isoformat()
    return value.isoformat()


def render_urlset(urls: list[dict[str, Any]]) -> str:
    """The ``<urlset>`` of Django's ``sitemap.xml`` template, written by string formatting.

    The same bytes (``tests/test_sitemap_equivalence.py`` compares them with Django's view and
    template); about twenty times faster than the template, which spent most of a section
    page's time on its 5 tags for each of 2,000 × 3 ``<loc>`` (docs/shims.md).
    """
    parts = [_URLSET_OPEN]
    append = parts.append
    for url in urls:
        append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
        if url["changefreq"]:
            append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            append(f"<priority>{escape(url['priority'])}</priority>")
        for alternate in url["alternates"]:
            append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        append("</url>")
    append(_URLSET_CLOSE)
    return "".join(parts)


@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    """One page of one section (``/sitemap-<section>.xml?p=N``): Django's sitemap view, with
    the XML written by :func:`render_urlset` instead of a template."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    site = SITEMAPS[section]()
    page = request.GET.get("p", 1)
    try:
        if isinstance(site, _I18nSitemap):
            origin = f"{request.scheme}://{RequestSite(request).domain}"
            body, latest = site.render_page(page, origin)
            content = f"{_URLSET_OPEN}{body}{_URLSET_CLOSE}"
        else:
            urls = site.get_urls(page=page, site=RequestSite(request), protocol=request.scheme)
            content, latest = render_urlset(urls), getattr(site, "latest_lastmod", None)
    except EmptyPage as exc:
        raise Http404(f"Page {page} empty") from exc
    except PageNotAnInteger as exc:
        raise Http404(f"No page {page!r}") from exc
    response = HttpResponse(content, content_type="application/xml")
    if latest is not None:  # lets a repeat request get a 304 (ConditionalGetMiddleware)
        if not isinstance(latest, datetime.datetime):
            latest = datetime.datetime.combine(latest, datetime.time.min, tzinfo=datetime.UTC)
        response["Last-Modified"] = http_date(latest.timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": ListPageSitemap,
    "agreements": AgreementSitemap,
    "organizations": OrganizationSitemap,
    "regions": RegionSitemap,
    "events": EventSitemap,
}


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
