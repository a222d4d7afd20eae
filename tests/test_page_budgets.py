"""No public output grows with the database: each stays under a size and a query budget.

One crowded world holds several times more rows than any page shows: 300 organisations in one
city with 120 agreements between them (and one organisation party to all of them), 200 cities in
one state, 200 focus areas and 60 events. Every public URL pattern (walked from the URL resolver,
like tests/test_visibility.py) must have a budget here; a page that lists "everything" (a
``<select>`` of every organisation, a tree of every region) exceeds it several times over.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.languages import language_codes
from organizations.logos import LOGO_SIZES, logo_key, store_logo
from organizations.models import FocusArea, Organization, Region
from partnerships.models import Activity, Agreement, AgreementParty, Commitment
from portal import open_data, sitemaps
from tests import factories, uploads
from tests.test_visibility import public_url_names

ORGANIZATIONS = 300
CITIES = 200
FOCUS_AREAS = 200
AGREEMENTS = 120
EVENTS = 60
ACTIVITIES = 300  # on the hub's first agreement, over 10 years: more than the timeline shows
TARGET_REGIONS = 30  # the hub's: more than its page shows
KB = 1024
ROW_BYTES = 1 * KB  # a download's budget per row
# Every row of the crowd that the open-data export holds (regions, focus areas, organisations,
# their focus areas, agreements, parties, ...): an upper bound.
EXPORTED_ROWS = 3 + CITIES + FOCUS_AREAS + 2 * ORGANIZATIONS + 8 * AGREEMENTS + EVENTS + 100

# With the caches on, a page also reads the content generation: once for the page cache, once
# per cached summary it shows (the home page, the most: its figures and its map), and once more
# when the page cache stores a page (issue 24: the generations of the tables the page read, and
# whether a write committed while it rendered).
MAX_GENERATION_READS = 4

# URL name → (max bytes, max queries). Sizes are a few times what the page shows here, far
# below what listing the crowd would take (300 organisations as <option>s alone: ~25 KB; the
# old region tree of 200 cities: ~40 KB).
BUDGETS: dict[str, tuple[int, int]] = {
    # Pages with the map (partnerships/maps.py): + at most 5 queries, aggregated here (the crowd
    # has more agreements than maps.MAX_ARCS).
    "home": (60 * KB, 13),
    # + the organisations' agreements and partners' regions, the regions (and the macro-regions
    # including them), the best region's pairs (6) and the events
    "search": (80 * KB, 23),
    "agreement_list": (60 * KB, 12),  # an ambiguous organisation: + its resolution
    "agreement_map": (60 * KB, 13),  # the list's filters and the map (aggregated: 6)
    # + 2 for the activities timeline (the sums per year, the latest activities), whose 30
    # lines of the crowd's ACTIVITIES stay within the size budget.
    "agreement_detail": (60 * KB, 27),
    "agreement_feed": (80 * KB, 8),
    "event_list": (60 * KB, 7),  # upcoming, past; the filters' choices (a summary, off here)
    "event_detail": (40 * KB, 10),
    "signing_events_ics": (80 * KB, 6),
    "signing_event_ics": (8 * KB, 6),
    # With the partner profile's filters (organizations/filters.py): + 3 at most (the target and
    # the cooperation regions, each resolved with its subtree, and the cooperating ids; with
    # ``cooperates``, + 1: whom to ask for an introduction); and the cooperation signal:
    # agreements, partners' regions, their countries.
    "organization_list": (60 * KB, 15),
    "organization_detail": (60 * KB, 20),  # + 1: the recent joint activities
    "organization_suggest": (4 * KB, 6),
    "organization_logo": (64 * KB, 1),  # a PNG of at most 256 px a side
    "region_list": (40 * KB, 4),
    "region_suggest": (4 * KB, 4),
    # cold: the summary cache is off in tests; + the countries, the map's first view (map_fit);
    # with ``?from=`` (who already cooperates there, partnerships/regions.py cooperating_from):
    # + the home region's resolution and subtree, the pair's agreements, the first
    # organisations with their public contacts and their count (a fixed number).
    "region_detail": (60 * KB, 29),
    # + the recent joint activities, the parties' countries; cold: the pair's summary with the
    # map's first view and the recent activities' ids (partnerships/regions.py)
    "region_pair": (60 * KB, 16),
    # The embeddable widgets (partnerships/widgets.py): at most 30 partners, 10 agreements.
    "widget_partners": (16 * KB, 5),  # + the count past the partners shown
    # cold: the region pair's summary (its first ids and count), as the region pair page
    "widget_region_pair": (16 * KB, 15),
    "contact_vcard": (4 * KB, 4),
    "sitemap": (4 * KB, 10),
    "sitemap_section": (60 * KB, 3),  # with LOCS_PER_PAGE = 20 items below
    "robots_txt": (1 * KB, 0),
    "privacy": (40 * KB, 2),
    "document_file": (4 * KB, 2),  # streams the stored file: its size, not the database's
    "activity_evidence": (4 * KB, 2),  # the same for an activity's evidence
    # The funders' reports (partnerships/funders.py): counts and sums as aggregates, five lists
    # of at most funders.LIST_ROWS agreements with their parties.
    "organization_report": (60 * KB, 20),
    "region_report": (60 * KB, 21),  # + the region's subtree
    "region_pair_report": (60 * KB, 23),  # + the other region and its subtree
    # Downloads list every match, so their size follows the rows by design: the rule is a budget
    # per row (ROW_BYTES, of the crowd's rows they hold), and a fixed number of queries however
    # many rows (one server-side cursor, the filters' look-ups).
    "agreement_download_csv": (AGREEMENTS * ROW_BYTES, 10),  # an ambiguous organisation: + search
    "agreement_download_json": (AGREEMENTS * ROW_BYTES, 10),
    "organization_download_csv": ((ORGANIZATIONS + 1) * ROW_BYTES, 6),
    "organization_download_json": ((ORGANIZATIONS + 1) * ROW_BYTES, 6),
    "open_data": (40 * KB, 0),  # reads the export's manifest from storage, not the database
    # A file of the export: the whole public database, ROW_BYTES per row of the crowd (the JSON
    # document, the largest, repeats the rows of the CSV tables nested); no query at all.
    "open_data_file": (EXPORTED_ROWS * ROW_BYTES, 0),
    # The API: pages of at most 50 rows (IdCursorPagination), whatever the database holds.
    "api_schema": (120 * KB, 0),
    "api_docs": (8 * KB, 0),
    "api_changes": (4 * KB, 37),  # a fixed number: one per history table it reads
    "api_regions": (60 * KB, 4),
    "api_region": (4 * KB, 4),
    # + the partner profile's target regions and international-affairs contact (prefetched;
    # the contact's query only when a row on the page names one).
    "api_organizations": (80 * KB, 6),
    "api_organization": (8 * KB, 6),
    "api_people": (20 * KB, 4),
    "api_person": (4 * KB, 4),
    "api_agreements": (200 * KB, 14),
    "api_agreement": (12 * KB, 14),
    "api_events": (60 * KB, 4),
    "api_event": (12 * KB, 4),
    "api_documents": (20 * KB, 4),
    "api_document": (4 * KB, 4),
    # Issue 21 (portal/api/activities.py): + 1 or 2 prefetches (parties, commitments).
    "api_commitments": (60 * KB, 5),
    "api_commitment": (4 * KB, 5),
    "api_activities": (80 * KB, 6),
    "api_activity": (4 * KB, 6),
}


@pytest.fixture
def crowd(db, monkeypatch, settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    # pages of 20 items (one loc per language each): the index pages
    monkeypatch.setattr(sitemaps, "LOCS_PER_PAGE", 20 * len(language_codes()))
    country = factories.RegionFactory(name="Crowdland", slug="crowdland")
    state = factories.SubdivisionFactory(name="Crowd State", slug="crowd-state", parent=country)
    other = factories.RegionFactory(name="Otherland", slug="otherland")
    cities = Region.objects.bulk_create(
        Region(name=f"Crowd City {i}", slug=f"crowd-city-{i}", kind="city", parent=state)
        for i in range(CITIES)
    )
    FocusArea.objects.bulk_create(
        FocusArea(name=f"Focus {i}", slug=f"focus-{i}") for i in range(FOCUS_AREAS)
    )
    focus_areas = list(FocusArea.objects.all())
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Crowd Cluster {i}",
            slug=f"crowd-cluster-{i}",
            kind=Organization.Kind.CLUSTER,
            region=cities[i % CITIES] if i else cities[0],
            # Spread over the state, so that the map has positions to group.
            latitude=48 + (i % 17) / 10,
            longitude=11 + (i % 23) / 10,
            location_source=Organization.LocationSource.LOCALITY,
        )
        for i in range(ORGANIZATIONS)
    )
    partner = factories.OrganizationFactory(
        name="Far Partner",
        slug="far-partner",
        region=other,
        latitude=34.7,
        longitude=135.5,
        location_source=Organization.LocationSource.REGION,
    )
    hub = organizations[0]
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Crowd cooperation {i}",
            slug=f"crowd-coop-{i}",
            kind=Agreement.Kind.COOPERATION,
            state=Agreement.State.CONCLUDED,
            signed_on=datetime.date(2000 + i % 25, 1 + i % 12, 1),
            term=Agreement.Term.OPEN_ENDED,
            publication="published",
        )
        for i in range(AGREEMENTS)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organization=organization, position=position)
        for i, agreement in enumerate(agreements)
        for position, organization in enumerate((hub, organizations[1 + i], partner))
    )
    for agreement in agreements:
        agreement.focus_areas.set(focus_areas[: 1 + len(agreement.slug) % 3])
    event = factories.EventFactory(name="Crowd Fair", slug="crowd-fair")
    factories.EventFactory.create_batch(EVENTS - 1)
    signing = None
    for agreement in agreements[:40]:
        signing = factories.SigningEventFactory(agreement=agreement, occasion=event)
    contact = factories.AffiliationFactory(organization=hub)
    # The hub's partner profile (issue 22): every fact filled, its logo stored.
    hub.offers, hub.seeks = "Matchmaking " * 50, "Partners " * 50
    hub.member_count, hub.sme_count, hub.languages = 300, 200, ["en", "de", "ja", "fr"]
    hub.international_contact = contact
    hub.logo = store_logo(io.BytesIO(uploads.png()), default_storage)
    hub.save()
    hub.target_regions.set(cities[:TARGET_REGIONS])
    document = factories.DocumentFactory(
        agreement=agreements[0], url="", file=uploads.upload("agreement.pdf", uploads.PDF)
    )
    Activity.objects.bulk_create(
        Activity(
            agreement=agreements[i % 3],
            kind=Activity.Kind.WEBINAR,
            starts_on=datetime.date(2016 + i % 10, 1 + i % 12, 1 + i % 28),
            description=f"Crowd webinar {i} " + "on market entry " * 10,
            companies=i % 7,
            funding=1000 * (i % 5),
            visibility=Activity.Visibility.PUBLIC,
        )
        for i in range(ACTIVITIES)
    )
    evidence = Activity.objects.filter(agreement=agreements[0]).first()
    assert evidence is not None
    evidence.evidence_file = uploads.upload("evidence.pdf", uploads.PDF)
    evidence.save()
    open_data.export(say=lambda line: None)  # the files of the open-data URLs
    commitments = Commitment.objects.bulk_create(
        Commitment(agreement=agreements[i % 5], text=f"Crowd commitment {i}", position=i)
        for i in range(100)
    )
    return {
        "activity": evidence,
        "commitment": commitments[0],
        "document": document,
        "hub": hub,
        "state": state,
        "country": country,
        "other": other,
        "agreement": agreements[0],
        "event": event,
        "signing": signing,
        "contact": contact,
    }


def requests(crowd: dict[str, Any]) -> dict[str, list[tuple[dict, dict]]]:
    """URL name → (URL kwargs, query string) of its largest pages in the crowd."""
    return {
        "home": [({}, {})],
        "search": [({}, {"q": "crowd"})],
        "agreement_list": [
            ({}, {}),
            ({}, {"organization": "crowd"}),
            ({}, {"page": 3}),
            ({}, {"expiring": "12"}),
        ],
        "agreement_map": [({}, {}), ({}, {"organization": "crowd"}), ({}, {"status": "in_force"})],
        "agreement_detail": [({"slug": crowd["agreement"].slug}, {})],
        "agreement_feed": [({}, {})],
        "event_list": [({}, {}), ({}, {"year": str(crowd["event"].starts_on.year)})],
        "event_detail": [({"slug": crowd["event"].slug}, {})],
        "signing_events_ics": [({}, {})],
        "signing_event_ics": [({"pk": crowd["signing"].pk}, {})],
        "organization_list": [
            ({}, {}),
            ({}, {"q": "crowd", "page": 5}),
            # The partner profile's filters (organizations/filters.py), all at once.
            (
                {},
                {
                    "region": "crowd-state",
                    "cooperates": "otherland",
                    "target": "crowd-city-1",
                    "language": "de",
                    "smes": "50",
                },
            ),
        ],
        "organization_detail": [({"slug": crowd["hub"].slug}, {}), ({"slug": "far-partner"}, {})],
        "organization_suggest": [({}, {"q": "crowd"})],
        "organization_logo": [
            (
                {"slug": crowd["hub"].slug, "key": logo_key(crowd["hub"].logo.name), "size": size},
                {},
            )
            for size in LOGO_SIZES
        ],
        "region_list": [({}, {})],
        "region_suggest": [({}, {"q": "crowd"})],
        "region_detail": [
            *(({"slug": crowd[key].slug}, {}) for key in ("state", "country", "other")),
            # "Who already cooperates there?" (issue 22): the visitor's home region's
            # organisations with agreements into the region, and their contacts.
            ({"slug": "otherland"}, {"from": "crowd-state"}),
        ],
        "region_pair": [({"slug": "crowdland", "other_slug": "otherland"}, {})],
        "widget_partners": [({"slug": crowd["hub"].slug}, {}), ({"slug": "far-partner"}, {})],
        "widget_region_pair": [({"slug": "crowdland", "other_slug": "otherland"}, {})],
        "contact_vcard": [({"pk": crowd["contact"].pk}, {})],
        "sitemap": [({}, {})],
        "sitemap_section": [({"section": s}, {}) for s in sitemaps.SITEMAPS],
        "robots_txt": [({}, {})],
        "privacy": [({}, {})],
        "document_file": [({"pk": crowd["document"].pk}, {})],
        "activity_evidence": [({"pk": crowd["activity"].pk}, {})],
        "organization_report": [({"slug": crowd["hub"].slug, "period": "2016-2025"}, {})],
        "region_report": [({"slug": "crowd-state", "period": "2016-2025"}, {})],
        "region_pair_report": [
            ({"slug": "crowdland", "other_slug": "otherland", "period": "2016-2025"}, {})
        ],
        "agreement_download_csv": [({}, {}), ({}, {"organization": "crowd"})],  # ambiguous
        "agreement_download_json": [({}, {"organization": crowd["hub"].slug})],
        "organization_download_csv": [({}, {})],
        "organization_download_json": [({}, {"q": "crowd"})],
        "open_data": [({}, {})],
        "open_data_file": [
            ({"name": name}, {})
            for name in (
                open_data.JSON_FILE,
                open_data.DATAPACKAGE,
                *(table.path for table in open_data.tables("")),
            )
        ],
        "api_schema": [({}, {})],
        "api_docs": [({}, {})],
        "api_changes": [({}, {"since": "2000-01-01T00:00:00Z"})],
        "api_regions": [({}, {"lang": "all"}), ({}, {"within": "crowd-state"})],
        "api_region": [({"pk": crowd["state"].pk}, {})],
        "api_organizations": [({}, {"lang": "all"}), ({}, {"q": "crowd"})],
        "api_organization": [({"pk": crowd["hub"].pk}, {"lang": "all"})],
        "api_people": [({}, {"lang": "all"})],
        "api_person": [({"pk": crowd["contact"].person.pk}, {})],
        "api_agreements": [
            ({}, {"lang": "all"}),
            ({}, {"organization": crowd["hub"].slug}),
            ({}, {"expiring": "12"}),
        ],
        "api_agreement": [({"pk": crowd["agreement"].pk}, {"lang": "all"})],
        "api_events": [({}, {"lang": "all"})],
        "api_event": [({"pk": crowd["event"].pk}, {})],
        "api_documents": [({}, {"lang": "all"})],
        "api_document": [({"pk": crowd["document"].pk}, {})],
        "api_commitments": [({}, {"lang": "all"})],
        "api_commitment": [({"pk": crowd["commitment"].pk}, {"lang": "all"})],
        "api_activities": [({}, {"lang": "all"}), ({}, {"agreement": crowd["agreement"].pk})],
        "api_activity": [({"pk": crowd["activity"].pk}, {"lang": "all"})],
    }


def test_every_public_url_pattern_has_a_budget():
    assert set(public_url_names()) == set(BUDGETS), (
        "A public URL pattern was added or removed: give it a size and query budget here."
    )


@pytest.fixture(params=["caches off", "caches on"])
def caches(request, settings) -> Iterator[bool]:
    """Off (the test settings): each page's own queries. On (production's defaults): the page
    cache and the cached summaries (portal/caching.py, core/caching.py); each page is
    then asked for twice, cold (a miss fills the caches) and warm."""
    on = request.param == "caches on"
    settings.PORTAL_PAGE_CACHE = on
    settings.PORTAL_SUMMARY_CACHE = on
    # Inside the test's transaction nothing commits, so the content generation that keys the
    # caches does not change with the data: no entry may come from another test.
    cache.clear()
    yield on
    cache.clear()


def generation_reads(queries: CaptureQueriesContext) -> int:
    """The caches' own look-ups: one primary-key read of the content generation each."""
    table = apps.get_model("core", "ContentGeneration")._meta.db_table
    return sum(1 for query in queries.captured_queries if table in query["sql"])


def test_every_public_page_stays_within_its_size_and_query_budget(client, crowd, caches):
    """With the caches on, the budget counts the page's own queries; the caches' reads of the
    content generation (one for the page cache, one per summary) are bounded apart. A warm page
    that the page cache holds costs that one read and comes back unchanged."""
    names = public_url_names()
    over = []  # every page over a budget, to see them all at once
    warm_hits = []
    for name, pages in requests(crowd).items():
        max_bytes, max_queries = BUDGETS[name]
        for kwargs, query in pages:
            url = reverse(names[name], kwargs=kwargs)
            cold_body = None
            for visit in ["cold", "warm"] if caches else ["uncached"]:
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, query)
                    # Inside: a streamed response (a download) queries as it is read.
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else response.content
                    )
                assert response.status_code == 200, (url, query, visit)
                size, lookups = len(body), generation_reads(queries)
                own = len(queries) - lookups
                if visit == "warm" and response.get("X-Cache") == "hit":
                    warm_hits.append(url)
                    if (own, lookups, body) != (0, 1, cold_body):
                        over.append((url, query, visit, f"{own} own, {lookups} generation q"))
                if size > max_bytes or own > max_queries or lookups > MAX_GENERATION_READS:
                    over.append(
                        (
                            url,
                            query,
                            visit,
                            f"{size} > {max_bytes} B?",
                            f"{own} > {max_queries} q?",
                            f"{lookups} > {MAX_GENERATION_READS} generation q?",
                        )
                    )
                cold_body = body
    assert over == [], "\n".join(map(str, over))
    if caches:  # the warm path was taken: the public HTML pages came from the page cache
        assert reverse(names["home"]) in warm_hits
        assert reverse(names["agreement_list"]) in warm_hits


def test_the_crowd_is_larger_than_what_any_page_shows(client, crowd):
    """The budgets mean something only if listing everything would exceed them."""
    body = client.get(reverse("partnerships:agreement_list")).content.decode()
    assert "Crowd Cluster 299" not in body  # no <option> per organisation
    region_index = client.get(reverse("organizations:region_list")).content.decode()
    assert "Crowd City" not in region_index  # countries only
    hub_page = client.get(crowd["hub"].get_absolute_url()).content.decode()
    assert hub_page.count('class="card agreement-card"') == 10
    assert f"All {AGREEMENTS} agreements" in hub_page


def test_the_organisation_filter_resolves_a_typed_name_and_shows_the_choice(client, crowd):
    response = client.get(reverse("partnerships:agreement_list"), {"organization": "Far Partner"})

    assert response.context["page_obj"].paginator.count == AGREEMENTS
    assert 'value="Far Partner (far-partner)"' in response.content.decode()


def test_an_ambiguous_organisation_is_ignored_with_suggestions(client, crowd):
    response = client.get(reverse("partnerships:agreement_list"), {"organization": "crowd"})

    assert response.context["ignored_filters"]
    links = response.context["filter_suggestions"]
    assert 0 < len(links) <= 5
    assert all("organization=crowd-cluster-" in href for _label, href in links)


def test_the_organisation_suggestions_are_few_and_name_the_organisation(client, crowd):
    results = client.get(reverse("organizations:organization_suggest"), {"q": "crowd"}).json()[
        "results"
    ]

    assert len(results) == 10
    assert results[0]["value"].endswith(f"({results[0]['slug']})")
