"""The read-only API (portal/api): the pages' visibility rules, filters, sync, languages,
conditional GETs, CORS, throttling, JSON errors and constant query counts."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from partnerships import services
from tests import factories, test_visibility
from tests.test_visibility import SEARCHES, World

world = test_visibility.world  # the visibility test's world: public rows and hidden ones

API = "/api/v1"
LISTS = ["regions", "organizations", "people", "agreements", "events", "documents"]


def get_json(client, url, params=None, headers=None):
    response = client.get(url, params or {}, headers=headers or {})
    assert response["Content-Type"].startswith("application/json"), (url, response)
    return response, json.loads(response.content)


def api_requests(world: World) -> list[tuple[str, dict[str, str]]]:
    """Every list with every filter (values that find the public rows), and every detail."""
    public = world.public
    since = {"modified_since": "2000-01-01T00:00:00Z"}
    region_filters = [
        {"region": public["country"].slug},
        {"region": public["state"].slug},
        {"country": public["country"].slug},
    ]
    requests: list[tuple[str, dict[str, str]]] = [
        (f"{API}/{name}/", query)
        for name in LISTS
        for query in ({}, since, {"lang": "all"}, {"lang": "de"})
    ]
    requests += [(f"{API}/organizations/", f) for f in region_filters]
    requests += [(f"{API}/agreements/", f) for f in region_filters]
    requests += [(f"{API}/events/", f) for f in region_filters]
    requests += [
        (f"{API}/{name}/", {"q": q})
        for name in ("organizations", "people", "agreements")
        for q in SEARCHES
    ]
    for name in ("agreements", "events", "people"):
        for organization in (public["north"], public["south"]):
            requests += [
                (f"{API}/{name}/", {"organization": organization.slug}),
                (f"{API}/{name}/", {"organization": str(organization.pk)}),
            ]
    requests += [
        (f"{API}/agreements/", {"year": "2015"}),
        (f"{API}/agreements/", {"kind": "cooperation", "status": "in_force"}),
        (f"{API}/events/", {"year": "2015"}),
        (f"{API}/documents/", {"agreement": str(public["agreement"].pk)}),
        (f"{API}/documents/", {"agreement": str(world.hidden["agreement"].pk)}),
        (f"{API}/regions/", {"within": public["country"].slug}),
        (f"{API}/regions/", {"parent": public["country"].slug}),
        (f"{API}/agreements/{public['agreement'].pk}/", {"lang": "all"}),
        (f"{API}/events/{public['fair'].pk}/", {}),
        (f"{API}/events/{public['empty_fair'].pk}/", {}),
        (f"{API}/organizations/{public['north'].pk}/", {}),
        (f"{API}/people/{public['contact'].person.pk}/", {"lang": "all"}),
        (f"{API}/documents/{public['document'].pk}/", {}),
        (f"{API}/regions/{public['country'].pk}/", {}),
        (f"{API}/changes/", {"since": "2000-01-01T00:00:00Z"}),
        (f"{API}/schema/", {}),
    ]
    return requests


def test_no_endpoint_or_filter_lets_a_hidden_row_out(client, world):
    for url, query in api_requests(world):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query, response.content[:300])
        body = response.content.decode()
        leaked = [secret for secret in world.secrets if secret in body]
        assert leaked == [], (url, query)


def test_the_api_shows_the_public_rows(client, world):
    """The check above would pass on empty answers."""
    _, agreements = get_json(client, f"{API}/agreements/")
    (agreement,) = agreements["results"]
    assert agreement["title"] == "Visible cooperation"
    assert [c["person"] for c in agreement["contacts"]] and "Shownperson" in json.dumps(agreement)
    titles = {d["title"] for d in agreement["documents"]}
    assert titles == {"Visible press release", "Visible signed text"}
    assert agreement["documents"][1]["file_url"].endswith(world.public["document"].get_file_url())
    _, events = get_json(client, f"{API}/events/")
    assert {e["slug"] for e in events["results"]} == {"public-partnering-fair", "fair-no-signings"}
    _, people = get_json(client, f"{API}/people/")
    assert {p["family_name"] for p in people["results"]} >= {"Shownperson"}


def test_hidden_rows_answer_404_as_json(client, world):
    hidden = world.hidden
    urls = [
        f"{API}/agreements/{hidden['agreement'].pk}/",
        f"{API}/events/{hidden['event'].pk}/",
        f"{API}/people/{hidden['hidden_contact'].person.pk}/",
        f"{API}/people/{hidden['former_contact'].person.pk}/",
        *(f"{API}/documents/{document.pk}/" for document in hidden["agreement"].documents.all()),
        f"{API}/agreements/999999999/",
        f"{API}/nowhere/",
    ]
    for url in urls:
        response, body = get_json(client, url)
        assert response.status_code == 404, url
        assert body["detail"]


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("agreements", {"modified_since": "yesterday"}, "modified_since"),
        ("agreements", {"lang": "it"}, "lang"),
        ("agreements", {"year": "MMXV"}, "year"),
        ("agreements", {"status": "draft"}, "status"),
        ("organizations", {"kind": "pirate"}, "kind"),
        ("documents", {"agreement": "-1"}, "agreement"),
        ("changes", {}, "since"),
        ("changes", {"since": "2020-13-45"}, "since"),
        ("agreements", {"lang": ""}, "lang"),
        ("agreements", {"year": ""}, "year"),
        ("regions", {"kind": ""}, "kind"),
        ("agreements", {"page_size": "true"}, "page_size"),
        ("organizations", {"kind": ["cluster", "company"]}, "kind"),
        ("events", {"region": ["bavaria", "bavaria"]}, "region"),
    ],
)
def test_a_bad_query_parameter_is_a_400_that_names_it(client, db, path, query, parameter):
    response, body = get_json(client, f"{API}/{path}/", query)
    assert response.status_code == 400
    assert parameter in body["detail"]
    assert body["errors"][parameter]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59"])
def test_modified_since_with_an_offset_postgresql_cannot_read_is_answered_as_the_same_instant(
    client, db, path, offset
):
    response, _body = get_json(
        client, f"{API}/{path}/", {"modified_since": f"2020-01-01T00:00:00{offset}"}
    )
    assert response.status_code == 200


def test_modified_since_with_a_large_offset_compares_the_same_instant(client, db):
    factories.OrganizationFactory()
    # 2999-12-31T23:00-23:59 is 3000-01-01T22:59 UTC: after the row's change, nothing listed
    response, body = get_json(
        client, f"{API}/organizations/", {"modified_since": "2999-12-31T23:00:00-23:59"}
    )
    assert response.status_code == 200
    assert body["results"] == []


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_modified_since_beyond_the_calendar_in_utc_is_answered(client, db, moment):
    response, _ = get_json(client, f"{API}/organizations/", {"modified_since": moment})
    assert response.status_code == 200


@pytest.mark.parametrize("offset", ["+15:59", "-15:59"])
def test_modified_since_with_the_largest_offsets_postgresql_reads_is_answered(client, db, offset):
    factories.OrganizationFactory()
    response, body = get_json(
        client, f"{API}/organizations/", {"modified_since": f"2020-01-01T00:00:00{offset}"}
    )
    assert response.status_code == 200
    assert len(body["results"]) == 1


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("agreements", {"region": "atlantis"}, "region"),
        ("agreements", {"country": "XX"}, "country"),
        ("agreements", {"organization": "no-such-organisation"}, "organization"),
        ("agreements", {"focus": "no-such-focus"}, "focus"),
        ("organizations", {"region": "atlantis\x00"}, "region"),
        ("events", {"country": "XX"}, "country"),
        ("people", {"organization": "no-such-organisation"}, "organization"),
        ("regions", {"parent": "atlantis"}, "parent"),
    ],
)
def test_a_filter_naming_no_row_is_a_404_that_names_it(client, db, path, query, parameter):
    response, body = get_json(client, f"{API}/{path}/", query)
    assert response.status_code == 404
    assert parameter in body["detail"]
    assert body["errors"][parameter]


def test_an_unknown_filter_beside_a_malformed_one_is_a_400(client, db):
    response, body = get_json(client, f"{API}/agreements/", {"region": "atlantis", "year": "x"})
    assert response.status_code == 400
    assert set(body["errors"]) == {"region", "year"}


@pytest.mark.parametrize("path", ["agreements", "organizations", "people"])
def test_a_nul_in_the_search_text_is_read_as_a_space(client, db, path):
    response, _ = get_json(client, f"{API}/{path}/", {"q": "cluster\x00munich"})
    assert response.status_code == 200


@pytest.mark.parametrize("query", [{"q": ""}, {"region": ""}, {"cursor": ""}])
def test_an_empty_plain_text_parameter_filters_nothing(client, db, query):
    response, _ = get_json(client, f"{API}/agreements/", query)
    assert response.status_code == 200


def test_lang_chooses_the_language_of_translated_fields(client, db):
    factories.OrganizationFactory(name_en="Munich Cluster", name_de="Münchner Cluster")
    _, body = get_json(client, f"{API}/organizations/", {"lang": "de"})
    assert body["results"][0]["name"] == "Münchner Cluster"
    assert body["results"][0]["translations"] is None
    _, body = get_json(client, f"{API}/organizations/", headers={"Accept-Language": "de"})
    assert body["results"][0]["name"] == "Münchner Cluster"
    _, body = get_json(client, f"{API}/organizations/", {"lang": "ja"})
    assert body["results"][0]["name"] == "Munich Cluster"  # no Japanese name: English
    _, body = get_json(client, f"{API}/organizations/", {"lang": "all"})
    assert body["results"][0]["name"] == "Munich Cluster"
    _, body = get_json(client, f"{API}/organizations/", {"lang": "fr"})
    assert body["results"][0]["name"] == "Munich Cluster"  # no French name: English
    _, body = get_json(client, f"{API}/organizations/", {"lang": "all"})
    assert body["results"][0]["translations"]["name"] == {
        "en": "Munich Cluster",
        "de": "Münchner Cluster",
        "ja": "",
        "fr": "",
    }


def test_cursor_pages_walk_every_row_once_in_id_order(client, db):
    ids = [factories.OrganizationFactory().pk for _ in range(5)]
    seen: list[int] = []
    url: str | None = f"{API}/organizations/?page_size=2"
    while url:
        _, body = get_json(client, url)
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        assert "offset" not in (url or "")
    assert seen == sorted(ids)


# History events carry their transaction's start time (pghistory writes NOW()): these tests commit
# each write, as the admin does, instead of running inside one test transaction.
def test_sync_by_time_finds_an_edit_and_an_unpublishing(client, transactional_db):
    kept = factories.AgreementFactory(title="Kept agreement")
    withdrawn = factories.AgreementFactory(title="Withdrawn agreement")
    since = timezone.now()
    _, body = get_json(client, f"{API}/agreements/", {"modified_since": since.isoformat()})
    assert body["results"] == []

    kept.title_en = "Kept agreement, renamed"
    kept.save()
    _, body = get_json(client, f"{API}/agreements/", {"modified_since": since.isoformat()})
    assert [row["title"] for row in body["results"]] == ["Kept agreement, renamed"]

    services.agreement_withdraw(agreement=withdrawn, user=None)
    _, body = get_json(client, f"{API}/changes/", {"since": since.isoformat()})
    assert body["removed"]["agreements"] == [withdrawn.pk]
    assert datetime.datetime.fromisoformat(body["until"]) >= since
    _, body = get_json(client, f"{API}/agreements/", {"modified_since": since.isoformat()})
    assert [row["id"] for row in body["results"]] == [kept.pk]


def test_sync_lists_deletions_and_contacts_made_private(client, transactional_db):
    document = factories.DocumentFactory()
    affiliation = factories.AffiliationFactory()
    since = timezone.now()
    document_id = document.pk
    document.delete()
    affiliation.visibility = "hidden"
    affiliation.save()
    _, body = get_json(client, f"{API}/changes/", {"since": since.isoformat()})
    assert body["removed"]["documents"] == [document_id]
    assert body["removed"]["people"] == [affiliation.person_id]


def test_an_unchanged_answer_is_a_304(client, db):
    organization = factories.OrganizationFactory()
    url = f"{API}/organizations/{organization.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert (
        client.get(url, headers={"If-Modified-Since": response["Last-Modified"]}).status_code == 304
    )
    listed = client.get(f"{API}/organizations/")
    assert (
        client.get(f"{API}/organizations/", headers={"If-None-Match": listed["ETag"]}).status_code
        == 304
    )


def test_any_site_may_read_the_api(client, db):
    response = client.get(f"{API}/regions/", headers={"Origin": "https://example.com"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/regions/",
        headers={"Origin": "https://example.com", "Access-Control-Request-Method": "GET"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    # Not the pages.
    assert "Access-Control-Allow-Origin" not in client.get("/en/privacy/")


def test_an_anonymous_client_is_throttled_with_a_json_429(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    try:
        statuses = [client.get(f"{API}/regions/").status_code for _ in range(3)]
        response, body = get_json(client, f"{API}/regions/")
    finally:
        cache.clear()
    assert statuses == [200, 200, 429]
    assert response.status_code == 429 and "throttled" in body["detail"].lower()
    assert response["Retry-After"]


def test_the_docs_page_loads_nothing_from_other_sites_and_no_inline_code(client, db):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html
    assert "<script>" not in html  # every script has a src, which the CSP allows
    for attribute in ('src="http', 'href="http', "src='http", "href='http", "//cdn"):
        assert attribute not in html
    script = client.get(f"{API}/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_the_schema_describes_every_endpoint(client, db):
    response = client.get(f"{API}/schema/", {"format": "json"})
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for name in LISTS:
        assert f"/api/v1/{name}/" in paths
        assert f"/api/v1/{name}/{{id}}/" in paths
    assert "/api/v1/changes/" in paths
    parameters = {p["name"] for p in schema["paths"]["/api/v1/agreements/"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "region",
        "country",
        "organization",
        "kind",
        "status",
        "focus",
        "year",
        "modified_since",
        "lang",
        "cursor",
    }


def _list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _rows(count: int) -> None:
    """``count`` published agreements with every kind of embedded row, their parties,
    contacts, events and documents."""
    for _ in range(count):
        agreement = factories.AgreementFactory()
        party = factories.AgreementPartyFactory(agreement=agreement)
        factories.AgreementPartyFactory(agreement=agreement)
        factories.CooperationAreaFactory(agreement=agreement)
        signing = factories.SigningEventFactory(
            agreement=agreement, occasion=factories.EventFactory()
        )
        factories.SignatureFactory(signing_event=signing, party=party)
        factories.AttendanceFactory(signing_event=signing)
        factories.StatementFactory(agreement=agreement)
        factories.AgreementContactFactory(agreement=agreement, party=party)
        factories.DocumentFactory(agreement=agreement)
        focus = factories.FocusAreaFactory()
        agreement.focus_areas.add(focus)
        organization = party.organization
        organization.focus_areas.add(focus)
        # The partner profile's rows (issue 22): target regions and a public contact.
        organization.target_regions.add(factories.RegionFactory(), factories.RegionFactory())
        organization.international_contact = factories.AffiliationFactory(organization=organization)
        organization.languages = ["en", "ja"]
        organization.save()


@pytest.mark.parametrize("name", LISTS)
def test_a_list_takes_as_many_queries_for_one_row_as_for_many(client, db, name):
    _rows(1)
    one = _list_queries(client, f"{API}/{name}/?lang=all")
    _rows(6)
    many = _list_queries(client, f"{API}/{name}/?lang=all")
    assert one == many, (name, one, many)
    assert many <= 14


@pytest.mark.parametrize("name", LISTS)
def test_a_detail_takes_a_fixed_number_of_queries(client, db, name, django_assert_max_num_queries):
    _rows(3)
    _, body = get_json(client, f"{API}/{name}/")
    row_id = body["results"][-1]["id"]
    with django_assert_max_num_queries(14):
        assert client.get(f"{API}/{name}/{row_id}/").status_code == 200
