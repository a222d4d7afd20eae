"""sitemap.xml: every public page in every language, with hreflang alternates; and robots.txt.

The sites framework is not installed: Django's sitemap view then uses ``RequestSite``, so every
``<loc>`` is built from the host and scheme of the request (``ALLOWED_HOSTS`` guards the host).
Only what the public pages show is listed: published agreements, organisations, regions with
organisations in them, and events that are not only the occasion of unpublished agreements.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from organizations.models import Organization, Region
from partnerships.models import Agreement, Event, SigningEvent


class _I18nSitemap(Sitemap):
    """Each item once per language (``/en/…``, ``/de/…``, ``/ja/…``), each listing the others."""

    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL: LocaleMiddleware redirects it by Accept-Language


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


def regions_with_organizations() -> list[int]:
    """Ids of the regions whose page lists at least one organisation, in one recursive query.

    A region page lists the organisations of its whole subtree (``Region.objects.within``), so a
    country with organisations only in its states, and a macro-region such as Kansai whose member
    prefectures have organisations, both count. The walk goes upwards from every organisation's
    region, through ``parent`` and through macro-region membership.
    """
    member_table = Region.members.through._meta.db_table
    sql = f"""
        WITH RECURSIVE upwards(id) AS (
            SELECT DISTINCT region_id FROM {Organization._meta.db_table}
            UNION
            SELECT edge.above FROM upwards JOIN (
                SELECT id AS below, parent_id AS above FROM {Region._meta.db_table}
                    WHERE parent_id IS NOT NULL
                UNION ALL
                SELECT to_region_id, from_region_id FROM {member_table}
            ) edge ON edge.below = upwards.id
        )
        SELECT id FROM upwards
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


class RegionSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Region.objects.filter(pk__in=regions_with_organizations()).order_by("pk")


class EventSitemap(_I18nSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        # An event recorded only as the occasion of unpublished agreements is not public yet.
        signings = SigningEvent.objects.filter(occasion=OuterRef("pk"))
        return Event.objects.filter(
            ~Exists(signings) | Exists(signings.filter(agreement__is_published=True))
        ).order_by("pk")


SITEMAPS = {
    "agreements": AgreementSitemap,
    "organizations": OrganizationSitemap,
    "regions": RegionSitemap,
    "events": EventSitemap,
}


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
