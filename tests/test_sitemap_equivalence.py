"""The sitemap's section pages are written without Django's template (portal/sitemaps.py,
docs/shims.md): byte for byte what Django's own sitemap view and ``sitemap.xml`` template write
for the same items, locations and fields."""

from __future__ import annotations

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as framework
from django.test import RequestFactory
from django.urls import reverse

from portal import sitemaps


def framework_twin(shim: type[sitemaps._I18nSitemap]) -> type[Sitemap]:
    """The section as a plain Django ``Sitemap``: model rows, ``location()`` reversed inside
    Django's language override, Django's paginator over every item × language."""

    class Framework(Sitemap):
        i18n = True
        alternates = True
        x_default = True
        changefreq = getattr(shim, "changefreq", None)
        priority = getattr(shim, "priority", None)
        limit = shim().limit

        def items(self):
            return list(shim().queryset().order_by("pk"))

        def location(self, item):
            return reverse(shim.url_name, kwargs={"slug": item.slug})

        def lastmod(self, item):
            return getattr(item, shim.lastmod_field) if shim.lastmod_field else None

    return Framework


def framework_page(section: str, sitemap: type[Sitemap], query: str = "") -> bytes:
    request = RequestFactory().get(f"/sitemap-{section}.xml{query}")
    response = framework.sitemap(request, sitemaps={section: sitemap}, section=section)
    response.render()
    return response.content


def portal_page(client, section: str, query: str = "") -> bytes:
    response = client.get(f"/sitemap-{section}.xml{query}")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def rows(agreement_factory, agreement_party_factory, organization_factory, event_factory):
    for _n in range(4):
        agreement_party_factory(agreement=agreement_factory(), organization=organization_factory())
    agreement_factory(publication="draft")
    event_factory()


@pytest.mark.parametrize("section", ["agreements", "organizations", "regions", "events"])
def test_a_section_page_is_what_djangos_view_and_template_write(client, rows, section):
    twin = framework_twin(sitemaps.SITEMAPS[section])
    assert portal_page(client, section) == framework_page(section, twin)


def test_a_later_page_is_what_django_writes(client, rows, monkeypatch):
    monkeypatch.setattr(sitemaps, "LOCS_PER_PAGE", 6)  # two items (of three languages) a page
    twin = framework_twin(sitemaps.OrganizationSitemap)
    assert portal_page(client, "organizations", "?p=2") == framework_page(
        "organizations", twin, "?p=2"
    )


def test_the_list_pages_section_is_what_djangos_template_writes(client, db):
    section = sitemaps.SITEMAPS["pages"]
    assert portal_page(client, "pages") == framework_page("pages", section)


def test_an_empty_section_is_what_djangos_template_writes(client, db):
    twin = framework_twin(sitemaps.EventSitemap)
    assert portal_page(client, "events") == framework_page("events", twin)
