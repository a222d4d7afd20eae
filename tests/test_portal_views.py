"""Home page, language handling, layout and error pages."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied

from partnerships.models import Agreement
from portal.views import permission_denied, server_error


def content(response) -> str:
    return response.content.decode()


# Home -----------------------------------------------------------------------------------------


def test_home_shows_the_latest_published_agreements(client, agreement_factory):
    agreement_factory(title="Latest published cooperation")
    agreement_factory(title="Unpublished cooperation", publication="draft")
    page = content(client.get("/en/"))
    assert "Latest published cooperation" in page
    assert "Unpublished cooperation" not in page


def test_home_counts_agreements_in_force(client, agreement_factory):
    agreement_factory.create_batch(2, term=Agreement.Term.OPEN_ENDED)
    agreement_factory(term=Agreement.Term.OPEN_ENDED, publication="draft")
    agreement_factory(term=Agreement.Term.UNSTATED)
    assert client.get("/en/").context["in_force_count"] == 2


def test_home_shows_the_agreements_recorded_while_none_is_in_force(client, agreement_factory):
    agreement_factory.create_batch(2, term=Agreement.Term.UNSTATED)
    agreement_factory(term=Agreement.Term.UNSTATED, publication="draft")

    page = content(client.get("/en/"))

    assert "Agreements in force" not in page
    assert '<dt>Agreements</dt><dd><a href="/en/agreements/">2</a></dd>' in page


def test_home_counts_countries_of_organisations(
    client, organization_factory, region_factory, subdivision_factory
):
    testland = region_factory()
    organization_factory.create_batch(2, region=subdivision_factory(parent=testland))
    organization_factory(region=testland)
    organization_factory()  # in another country
    assert client.get("/en/").context["country_count"] == 2


def test_home_counts_organisations(client, organization_factory):
    organization_factory.create_batch(3)
    assert client.get("/en/").context["organization_count"] == 3


def test_home_runs_a_fixed_number_of_queries(
    client, agreement_factory, agreement_party_factory, django_assert_max_num_queries
):
    for agreement in agreement_factory.create_batch(30):
        agreement_party_factory.create_batch(3, agreement=agreement)
    # latest agreements + parties, their countries, organisations, published, in force, region
    # ids, upward ids, countries, the chart of signings per year, and the map (points and arcs)
    with django_assert_max_num_queries(10):
        client.get("/en/")


# Languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"), [("de-DE,de;q=0.9", "/de/"), ("ja", "/ja/"), ("fr-CH,fr;q=0.9", "/fr/")]
)
def test_root_redirects_to_the_best_language(client, db, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_root_redirects_to_english_for_other_languages(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="it")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize("language", ["en", "de", "ja", "fr"])
def test_pages_declare_their_language(client, db, language):
    assert f'<html lang="{language}">' in content(client.get(f"/{language}/agreements/"))


def test_language_switcher_keeps_the_visitor_on_the_same_object(client, agreement_factory):
    agreement = agreement_factory(slug="example-renewal")
    page = content(client.get("/en/agreements/example-renewal/"))
    assert '<a href="/de/agreements/example-renewal/" hreflang="de" lang="de">' in page
    assert '<a href="/ja/agreements/example-renewal/" hreflang="ja" lang="ja">' in page
    assert '<a href="/fr/agreements/example-renewal/" hreflang="fr" lang="fr">' in page
    assert agreement.slug in page


def test_language_switcher_keeps_the_filters(client, db):
    page = content(client.get("/en/agreements/?kind=mou"))
    assert 'href="/de/agreements/?kind=mou"' in page


def test_pages_list_alternate_languages_with_x_default(client, db):
    page = content(client.get("/de/events/"))
    for code in ("en", "de", "ja", "fr"):
        assert f'hreflang="{code}" href="http://testserver/{code}/events/"' in page
    assert 'hreflang="x-default" href="http://testserver/en/events/"' in page


def test_english_date_format_is_day_month_year(client, agreement_factory):
    import datetime

    agreement_factory(signed_on=datetime.date(2015, 11, 2))
    assert "2 November 2015" in content(client.get("/en/agreements/"))


def test_french_date_format_is_day_month_year_in_french(client, agreement_factory):
    import datetime

    agreement_factory(signed_on=datetime.date(2015, 11, 2))
    assert "2 novembre 2015" in content(client.get("/fr/agreements/"))


# Layout and accessibility ----------------------------------------------------------------------


def test_layout_has_skip_link_and_landmarks(client, db):
    page = content(client.get("/en/"))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<footer" in page
    assert 'aria-label="Main"' in page


def test_layout_has_a_labelled_search_box_for_the_site_search(client, db):
    page = content(client.get("/en/"))
    assert 'action="/en/search/"' in page
    assert '<label for="site-search-q"' in page


def test_pages_have_exactly_one_h1(client, agreement_factory):
    agreement = agreement_factory()
    for url in ["/en/", "/en/agreements/", agreement.get_absolute_url(), "/en/regions/"]:
        assert content(client.get(url)).count("<h1") == 1, url


def test_pages_make_no_third_party_requests(client, agreement_party_factory):
    party = agreement_party_factory()
    urls = ["/en/", "/en/agreements/", party.agreement.get_absolute_url()]
    for url in urls:
        page = content(client.get(url))
        sources = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', page)
        external = [s for s in sources if s.startswith(("http", "//"))]
        external = [s for s in external if not s.startswith("http://testserver/")]
        assert external == [], url


# Error pages ----------------------------------------------------------------------------------


def test_not_found_page_uses_the_portal_design(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in content(response)
    assert 'class="site-header"' in content(response)


def test_not_found_page_speaks_the_requested_language(client, db):
    response = client.get("/ja/no-such-page/")
    assert '<html lang="ja">' in content(response)


def test_not_found_page_links_other_languages_to_their_home(client, db):
    page = content(client.get("/en/no-such-page/"))
    assert '<a href="/de/" hreflang="de" lang="de">' in page


def test_server_error_page_needs_no_database(rf):
    # No db fixture: pytest-django makes any database access in this test raise.
    response = server_error(rf.get("/en/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_permission_denied_page_uses_the_portal_design(rf, db):
    request = rf.get("/en/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


# Markup ---------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _TagBalance(HTMLParser):
    """Collects mismatched tags and duplicate ids: a cheap guard for well-formed HTML5."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.problems.append(f"duplicate id {value}")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def test_pages_are_well_formed(
    client,
    agreement_contact_factory,
    signature_factory,
    attendance_factory,
    statement_factory,
    document_factory,
    cooperation_area_factory,
    event_factory,
):
    contact = agreement_contact_factory()
    agreement = contact.agreement
    event = event_factory()
    signature = signature_factory(
        signing_event__agreement=agreement, signing_event__occasion=event, party=contact.party
    )
    attendance_factory(signing_event=signature.signing_event)
    statement_factory(agreement=agreement)
    document_factory(agreement=agreement, url="", text="Full text")
    cooperation_area_factory(agreement=agreement)
    organization = contact.party.organization
    region = organization.region
    urls = [
        "/en/",
        "/en/agreements/?region=nowhere",
        agreement.get_absolute_url(),
        "/ja" + agreement.get_absolute_url()[3:],
        "/fr" + agreement.get_absolute_url()[3:],
        "/fr/",
        organization.get_absolute_url(),
        region.get_absolute_url(),
        f"/en/regions/{region.slug}/{region.parent.slug}/",
        "/en/regions/",
        "/en/events/",
        event.get_absolute_url(),
        "/en/no-such-page/",
    ]
    for url in urls:
        parser = _TagBalance()
        parser.feed(content(client.get(url)))
        assert parser.problems == [], url
        assert parser.stack == [], url


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Vereinbarungen"), ("ja", "協定"), ("fr", "Accords")]
)
def test_interface_is_translated(client, db, language, heading):
    assert f"<h1>{heading}</h1>" in content(client.get(f"/{language}/agreements/"))


def test_not_found_page_is_translated(client, db):
    assert "Seite nicht gefunden" in content(client.get("/de/no-such-page/"))


# Charts ---------------------------------------------------------------------------------------


def test_home_charts_published_agreements_per_year_with_a_table(client, agreement_factory):
    agreement_factory(signed_on=datetime.date(2015, 11, 2), term=Agreement.Term.OPEN_ENDED)
    agreement_factory(signed_on=datetime.date(2019, 1, 1), publication="in_review")

    page = content(client.get("/en/"))

    assert '<svg class="chart-svg"' in page
    assert "1 agreement signed in 2015." in page
    assert '<th scope="row">2015</th>' in page
    assert "2019" not in page


def test_home_has_no_chart_before_any_agreement_is_published(client, db):
    assert "chart-svg" not in content(client.get("/en/"))


def test_chart_coordinates_are_not_localised(client, agreement_factory):
    """German decimal commas would break the SVG: the coordinates are written unlocalised."""
    agreement_factory(signed_on=datetime.date(2015, 11, 2))
    agreement_factory(signed_on=datetime.date(2016, 11, 2))
    agreement_factory(signed_on=datetime.date(2016, 12, 2))

    page = content(client.get("/de/"))

    start = page.index('<svg class="chart-svg"')
    svg = page[start : page.index("</svg>", start)]
    assert re.search(r'height="\d+\.\d"', svg)
    assert not re.search(r'="\d+,\d"', svg)


def test_region_page_charts_the_agreements_of_its_organisations(client, agreement_party_factory):
    party = agreement_party_factory(agreement__signed_on=datetime.date(2015, 11, 2))

    page = content(client.get(party.organization.region.get_absolute_url()))

    assert "1 agreement signed in 2015." in page


def test_regions_index_charts_organisations_per_country_as_links(client, organization_factory):
    country = organization_factory().region.parent

    page = content(client.get("/en/regions/"))

    start = page.index('<svg class="chart-svg"')
    svg = page[start : page.index("</svg>", start)]
    assert f'<a href="{country.get_absolute_url()}">' in svg
    assert f"<title>{country.name}: 1</title>" in svg


def test_home_chart_speaks_the_visitors_language_when_its_counts_come_from_the_cache(
    client, agreement_factory, settings
):
    settings.PORTAL_SUMMARY_CACHE = True
    # Tests roll back, so the content generation (part of the key) repeats: start empty.
    caches[settings.PORTAL_PAGE_CACHE_ALIAS].clear()
    agreement_factory(signed_on=datetime.date(2015, 11, 2), term=Agreement.Term.OPEN_ENDED)

    client.get("/en/")  # computes and caches the counts
    page = content(client.get("/de/"))

    assert '<span class="chart-swatch chart-in_force" aria-hidden="true"></span>In Kraft' in page
