"""A crawler over every public page type in every language but English: each text shown in
another language than the page's (a fallback) carries that language's ``lang`` and the discreet
marker (``data-fallback``, or the "(in English)" note), on every page type alike.

The data is written in English only, each text starting with "Solo" so that the crawler can
tell the translated texts from everything else on the page.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings

from organizations.models import Region, Visibility
from partnerships.models import Agreement
from tests import factories

# Not shown as page text: the document's title, scripts (JSON-LD), and attribute values.
NOT_TEXT = {"title", "script", "style", "head", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


class FallbackCrawler(HTMLParser):
    """Collects each "Solo" text with the nearest ``lang`` around it and whether it is marked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[tuple[str, str | None, bool]] = []  # (text, lang, marked)
        self.last_marked_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if "Solo" not in data or any(tag in NOT_TEXT for tag, _attrs in self.stack):
            return
        lang, marked = None, False
        in_svg = any(tag == "svg" for tag, _attrs in self.stack)
        for _tag, attrs in reversed(self.stack):
            if "lang" in attrs or "xml:lang" in attrs:
                lang = attrs.get("lang") or attrs.get("xml:lang")
                # A chart's label (SVG) carries xml:lang only: the chart has no room for a mark.
                marked = "data-fallback" in attrs or in_svg
                break
        self.found.append((" ".join(data.split()), lang, marked))


def crawl(html: str) -> list[tuple[str, str | None, bool]]:
    crawler = FallbackCrawler()
    crawler.feed(html)
    return crawler.found


@pytest.fixture
def solo_site(db):
    """One of each public record, every translated text in English only."""
    country = factories.RegionFactory(name="Solo Country", slug="solo-country")
    north = factories.SubdivisionFactory(name="Solo North", slug="solo-north", parent=country)
    south = factories.SubdivisionFactory(name="Solo South", slug="solo-south", parent=country)
    macro = factories.RegionFactory(
        name="Solo Macro", slug="solo-macro", kind=Region.Kind.MACRO_REGION, parent=country
    )
    macro.members.add(north)
    focus = factories.FocusAreaFactory(name="Solo Focus", slug="solo-focus")
    parent = factories.OrganizationFactory(
        name="Solo Foundation", slug="solo-foundation", region=north
    )
    cluster = factories.OrganizationFactory(
        name="Solo Cluster",
        slug="solo-cluster",
        region=north,
        parent=parent,
        description="Solo description of the cluster.",
    )
    cluster.focus_areas.add(focus)
    partner = factories.OrganizationFactory(name="Solo Partner", slug="solo-partner", region=south)
    event = factories.EventFactory(
        name="Solo Fair", slug="solo-fair", region=north, organizer=parent, venue="Solo Hall"
    )
    agreement = factories.AgreementFactory(
        title="Solo Agreement",
        slug="solo-agreement",
        summary="Solo summary of the agreement.",
        terms="Solo terms of the agreement.",
        authentic_languages=["en"],
    )
    agreement.focus_areas.add(focus)
    parties = [
        factories.AgreementPartyFactory(
            agreement=agreement, organization=organization, role_description="Solo role"
        )
        for organization in (cluster, partner)
    ]
    factories.CooperationAreaFactory(agreement=agreement, description="Solo scope item")
    signing = factories.SigningEventFactory(
        agreement=agreement,
        occasion=event,
        place=north,
        venue="Solo Room",
        description="Solo ceremony",
    )
    factories.SignatureFactory(signing_event=signing, party=parties[0], capacity="Solo Capacity")
    factories.AttendanceFactory(
        signing_event=signing, organization=parent, capacity="Solo Guest Capacity"
    )
    factories.StatementFactory(
        agreement=agreement, organization=cluster, text="Solo quote.", capacity="Solo Speaker"
    )
    affiliation = factories.AffiliationFactory(
        organization=cluster, position="Solo Position", visibility=Visibility.PUBLIC
    )
    factories.AgreementContactFactory(
        agreement=agreement, party=parties[0], affiliation=affiliation
    )
    factories.DocumentFactory(agreement=agreement, title="Solo press release")
    assert agreement.publication == Agreement.Publication.PUBLISHED
    assert agreement.signed_on == datetime.date(2015, 11, 2)
    return {"country": country, "north": north, "south": south}


PAGES = {
    "home": "",
    "agreement_list": "agreements/",
    "agreement_detail": "agreements/solo-agreement/",
    "agreement_map": "map/",
    "organization_list": "organizations/",
    "organization_list_query": "organizations/?q=Cluster",
    "organization_detail": "organizations/solo-cluster/",
    "organization_detail_partner": "organizations/solo-partner/",
    "region_list": "regions/",
    "region_detail": "regions/solo-north/",
    "region_detail_macro": "regions/solo-macro/",
    "region_pair": "regions/solo-north/solo-south/",
    "event_list": "events/",
    "event_detail": "events/solo-fair/",
    "search": "search/?q=Cluster",
}


def test_the_crawler_finds_an_unmarked_fallback():
    found = crawl('<html lang="de"><p>Solo Cluster</p><p lang="en" data-fallback>Solo X</p></html>')
    assert found == [("Solo Cluster", "de", False), ("Solo X", "en", True)]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_fallback_on_every_page_type_carries_lang_and_a_marker(client, solo_site, language):
    problems = []
    seen = 0
    for page_type, path in PAGES.items():
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, page_type
        for text, lang, marked in crawl(response.content.decode()):
            seen += 1
            if lang != "en" or not marked:
                problems.append(f"{page_type}: {text!r} lang={lang} marked={marked}")
    assert seen > 40  # the crawler read the records' texts
    assert problems == []
