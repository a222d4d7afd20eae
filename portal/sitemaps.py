"""sitemap.xml: every public page in every language, with hreflang alternates; and robots.txt.

The sites framework is not installed: Django's sitemap view then uses ``RequestSite``, so every
``<loc>`` is built from the host and scheme of the request (``ALLOWED_HOSTS`` guards the host).
Only what the public pages show is listed: the home and list pages, published agreements,
organisations, regions with organisations in them, and public events (``Event.objects.public()``).
Region pairs (``/regions/a/b/``) are reached from the region pages.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from organizations.models import Organization, Region
from partnerships.models import Agreement, Event


class _I18nSitemap(Sitemap):
    """Each item once per language (``/en/…``, ``/de/…``, ``/ja/…``), each listing the others."""

    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL: LocaleMiddleware redirects it by Accept-Language


class ListPageSitemap(_I18nSitemap):
    """The home page and the list pages (their further pages and filters are not listed)."""

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

    def items(self):
        return Agreement.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: Agreement):
        return item.updated_at


class OrganizationSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Organization.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: Organization):
        return item.updated_at


class RegionSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        # A region page lists the organisations of its whole subtree, so a country with
        # organisations only in its states counts, and so does a macro-region (Kansai) whose
        # members have organisations: every region on the way up from an organisation's region.
        region_ids = Organization.objects.order_by().values_list("region_id", flat=True).distinct()
        return Region.objects.filter(pk__in=Region.objects.upward_ids(list(region_ids))).order_by(
            "pk"
        )


class EventSitemap(_I18nSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Event.objects.public().order_by("pk")


SITEMAPS = {
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
