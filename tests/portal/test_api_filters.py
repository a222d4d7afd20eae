"""The API's region, people, event and document lists answer every query string as they did
before their filters became FilterSets (portal/api/filters.py): the same rows, the same 400s in
the same words and order. ``api_filter_answers.json`` holds the answers the serializer filters
gave, recorded with ``RECORD_API_ANSWERS=1`` before the change; rows are named by slug (a
document by title) so that the answers do not depend on the database's ids."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest

from organizations.models import Region
from partnerships.models import Document
from tests import factories

ANSWERS = Path(__file__).with_name("api_filter_answers.json")
API = "/api/v1"

QUERIES = {
    "regions": [
        "",
        "kind=country",
        "kind=subdivision",
        "kind=bogus",
        "kind=",
        "parent=DE",
        "parent=germany",
        "parent=de-by",
        "parent=atlantis",
        "within=DE-BY",
        "within=DE",
        "within=JP",
        "within=Bavaria",
        "within=Munich",
        "within=",
        "within=%20",
        "parent=x%00y",
        "within=" + "a" * 201,
        "kind=bogus&within=nosuch&modified_since=x",
        "within=nosuch&kind=bogus",
        "kind=city&within=DE",
        "kind=district",
        "kind=city&within=JP",
        "modified_since=2000-01-01T00:00:00Z",
        "modified_since=2000-01-01",
        "modified_since=2999-01-01T00:00:00%2B02:00",
        "modified_since=garbage",
        "lang=de&kind=country",
    ],
    "people": [
        "",
        "q=Kishimoto",
        "q=Pschierer",
        "q=tadamitsu",
        "q=",
        "q=%20",
        "q=" + "x" * 201,
        "q=a%00b",
        "organization=north-cluster",
        "organization=south-cluster",
        "organization=nosuch",
        "organization=",
        "organization=%20",
        "organization=" + "o" * 121,
        "q=%20&organization=nosuch",
        "organization=nosuch&q=%20",
        "q=Kishimoto&organization=south-cluster",
        "modified_since=2000-01-01T00:00:00Z",
        "modified_since=2999-01-01T00:00:00Z",
        "modified_since=x",
    ],
    "events": [
        "",
        "region=DE",
        "region=DE-BY",
        "region=munich",
        "region=JP",
        "region=nosuch",
        "region=%20",
        "region=",
        "country=DE",
        "country=germany",
        "country=jp",
        "country=DE-BY",
        "country=xx",
        "country=" + "c" * 121,
        "organization=north-cluster",
        "organization=south-cluster",
        "organization=nosuch",
        "year=2015",
        "year=2016",
        "year=2015.0",
        "year=1899",
        "year=2101",
        "year=abc",
        "year=",
        "year=abc&region=nosuch",
        "region=nosuch&year=abc",
        "year=2015&country=JP",
        "modified_since=2000-01-01T00:00:00%2B02:00",
        "modified_since=bad",
    ],
    "documents": [
        "",
        "kind=press_release",
        "kind=annex",
        "kind=bogus",
        "kind=",
        "agreement=0",
        "agreement=-1",
        "agreement=abc",
        "agreement=1.5",
        "agreement=9223372036854775808",
        "agreement=",
        "agreement=999999",
        "agreement=abc&kind=bogus",
        "kind=bogus&agreement=abc",
        "modified_since=2000-01-01T00:00:00Z",
        "modified_since=nope",
        "lang=all&kind=annex",
    ],
}


@pytest.fixture
def filter_world(db):
    germany = factories.RegionFactory(name="Germany", slug="germany", iso_code="DE")
    bavaria = factories.SubdivisionFactory(
        name="Bavaria", slug="bavaria", iso_code="DE-BY", parent=germany
    )
    munich = factories.RegionFactory(
        name="Munich", slug="munich", kind=Region.Kind.CITY, parent=bavaria
    )
    japan = factories.RegionFactory(name="Japan", slug="japan", iso_code="JP")
    osaka = factories.SubdivisionFactory(name="Osaka", slug="osaka", iso_code="JP-27", parent=japan)
    north = factories.OrganizationFactory(name="North Cluster", slug="north-cluster", region=munich)
    south = factories.OrganizationFactory(name="South Cluster", slug="south-cluster", region=osaka)
    factories.AffiliationFactory(
        organization=north,
        person=factories.PersonFactory(
            given_name="Tadamitsu", family_name="Kishimoto", slug="tadamitsu-kishimoto"
        ),
    )
    factories.AffiliationFactory(
        organization=south,
        person=factories.PersonFactory(
            given_name="Franz Josef", family_name="Pschierer", slug="franz-josef-pschierer"
        ),
    )
    fair = factories.EventFactory(
        name="Partnering Fair", slug="partnering-fair", region=munich, organizer=north
    )
    factories.EventFactory(
        name="Osaka Forum",
        slug="osaka-forum",
        region=osaka,
        starts_on=datetime.date(2016, 3, 1),
        ends_on=datetime.date(2016, 3, 2),
    )
    agreement = factories.AgreementFactory(slug="north-south")
    factories.AgreementPartyFactory(agreement=agreement, organization=south)
    factories.SigningEventFactory(agreement=agreement, occasion=fair)
    factories.DocumentFactory(agreement=agreement, title="The press release")
    factories.DocumentFactory(agreement=agreement, title="The annex", kind=Document.Kind.ANNEX)


def _answer(client, resource: str, query: str) -> dict:
    response = client.get(f"{API}/{resource}/?{query}&page_size=200".lstrip("&"))
    body = json.loads(response.content)
    if response.status_code != 200:
        return {"status": response.status_code, "body": body}
    key = "title" if resource == "documents" else "slug"
    return {"status": 200, "rows": [row[key] for row in body["results"]]}


def test_the_lists_filtered_by_their_filtersets_answer_as_the_serializer_filters_did(
    client, filter_world
):
    answers = {
        f"{resource}?{query}": _answer(client, resource, query)
        for resource, queries in QUERIES.items()
        for query in queries
    }
    if os.environ.get("RECORD_API_ANSWERS"):
        ANSWERS.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n")
    recorded = json.loads(ANSWERS.read_text())
    assert answers == recorded
    # Each list has answers that find rows, that find none and that are a 400.
    for resource in QUERIES:
        mine = [a for name, a in answers.items() if name.startswith(f"{resource}?")]
        assert any(a["status"] == 400 for a in mine), resource
        assert any(a["status"] == 200 and a["rows"] for a in mine), resource
        assert any(a["status"] == 200 and not a["rows"] for a in mine), resource


# --- The organisation page and the API find the same organisations -----------------------------

# (q, region): text in three languages and scripts, names, descriptions, regions by slug, ISO
# code and name, and both together.
PAGE_AND_API_QUERIES = [
    ("", ""),
    ("Bayern", ""),
    ("Bavaria", ""),
    ("バイエルン", ""),
    ("München", ""),
    ("Munich", ""),
    ("Osaka", ""),
    ("大阪", ""),
    ("Kansai", ""),
    ("BioM", ""),
    ("Testland", ""),
    ("Example Test", ""),
    ("synthetic", ""),
    ("sequencing", ""),
    ("Genomics Testland", ""),
    ("", "DE"),
    ("", "bavaria"),
    ("", "JP-27"),
    ("", "kansai"),
    ("", "Munich"),
    ("", "testland"),
    ("Example", "DE"),
    ("test", "testland"),
    ("Osaka", "JP"),
    ("Bio", "bavaria"),
]


def _page_slugs(client, q: str, region: str) -> list[str]:
    response = client.get("/en/organizations/", {"q": q, "region": region})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert not page.has_next()  # every match on the one page
    return sorted(organization.slug for organization in page.object_list)


def _api_slugs(client, q: str, region: str) -> list[str]:
    query = {"archived": "false", "page_size": "200"}  # the page lists active ones only
    query |= {key: value for key, value in (("q", q), ("region", region)) if value}
    response = client.get(f"{API}/organizations/", query)
    assert response.status_code == 200
    return sorted(row["slug"] for row in json.loads(response.content)["results"])


def test_the_organisation_page_and_the_api_find_the_same_organisations(client, world):
    """The page's text and region go through the organisation search (it ranks, caps broad
    terms and corrects misspellings), the API's through its FilterSet: both match with the
    same functions (organizations/filters.py says why the page keeps its search)."""
    archived = factories.OrganizationFactory(
        slug="example-archived", name="Example Archived Test", region=world.munich
    )
    archived.is_archived = True
    archived.save()
    found = {(q, region): _page_slugs(client, q, region) for q, region in PAGE_AND_API_QUERIES}

    for (q, region), slugs in found.items():
        assert _api_slugs(client, q, region) == slugs, (q, region)
    # The queries tell the organisations apart: neither all nor none for most of them.
    assert len({tuple(slugs) for slugs in found.values()}) >= 8
    assert all(slugs for slugs in found.values())


def test_only_the_page_corrects_a_misspelt_query_that_finds_nothing(client, world):
    """The page's search offers "did you mean" results; the API matches what was asked."""
    assert _page_slugs(client, "Osaka Bio Headquaters", "") == ["obhq"]
    assert _api_slugs(client, "Osaka Bio Headquaters", "") == []
