"""The list downloads (core/downloads.py): the list's filters, CSV with a BOM and
stable column names, JSON, values in the URL's language, streamed in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Organization


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict[str, str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def agreements(agreement_factory, agreement_party_factory, organization_factory, region_factory):
    japan = region_factory(name="Japan", slug="japan", iso_code="JP")
    germany = region_factory(name="Germany", slug="germany", iso_code="DE")
    osaka = organization_factory(name="Osaka Bio", name_ja="大阪バイオ", slug="osaka", region=japan)
    munich = organization_factory(name="Munich Bio", slug="munich", region=germany)
    mou = agreement_factory(
        title="Memorandum Osaka Munich",
        title_ja="大阪ミュンヘン覚書",
        slug="mou",
        kind="mou",
        signed_on=datetime.date(2015, 11, 2),
    )
    cooperation = agreement_factory(
        title="Cooperation Osaka only",
        slug="coop",
        kind="cooperation",
        signed_on=datetime.date(2010, 1, 1),
    )
    hidden = agreement_factory(title="Hidden draft", slug="hidden", publication="draft")
    for agreement, parties in (
        (mou, (osaka, munich)),
        (cooperation, (osaka,)),
        (hidden, (munich,)),
    ):
        for position, organization in enumerate(parties):
            agreement_party_factory(
                agreement=agreement, organization=organization, position=position
            )
    return {"mou": mou, "cooperation": cooperation, "osaka": osaka, "munich": munich}


def test_the_agreement_list_links_its_downloads_with_its_filters(client, agreements):
    page = client.get(reverse("partnerships:agreement_list"), {"kind": "mou", "page": "1"})
    html = page.content.decode()

    assert 'href="/en/agreements.csv?kind=mou"' in html
    assert 'href="/en/agreements.json?kind=mou"' in html


def test_the_agreement_csv_has_the_lists_rows_stable_columns_and_a_file_name(client, agreements):
    response = client.get(reverse("partnerships:agreement_download_csv"))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="agreements-en-{today}.csv"'
    rows = csv_rows(response)
    assert [row["slug"] for row in rows] == ["mou", "coop"]  # newest first, as the list
    assert rows[0]["title"] == "Memorandum Osaka Munich"
    assert rows[0]["parties"] == "Osaka Bio; Munich Bio"
    assert rows[0]["party_slugs"] == "osaka; munich"
    assert rows[0]["kind"] == "mou"
    assert rows[0]["signed_on"] == "2015-11-02"
    assert rows[0]["url"] == "http://testserver/en/agreements/mou/"


def test_an_agreement_download_applies_the_lists_filters(client, agreements):
    url = reverse("partnerships:agreement_download_json")

    by_kind = client.get(url, {"kind": "cooperation"})
    by_organization = client.get(url, {"organization": "munich"})

    assert [r["slug"] for r in json.loads(body(by_kind))["results"]] == ["coop"]
    assert [r["slug"] for r in json.loads(body(by_organization))["results"]] == ["mou"]


def test_a_japanese_download_has_japanese_values_under_the_same_column_names(client, agreements):
    with translation.override("ja"):
        url = reverse("partnerships:agreement_download_csv")
    assert url.startswith("/ja/")

    rows = csv_rows(client.get(url))

    assert rows[0]["title"] == "大阪ミュンヘン覚書"
    assert rows[0]["parties"] == "大阪バイオ; Munich Bio"  # English where no Japanese name
    assert rows[1]["title"] == "Cooperation Osaka only"


def test_the_json_download_says_its_language_licence_and_source(client, agreements):
    response = client.get(reverse("partnerships:agreement_download_json"), {"kind": "mou"})
    data = json.loads(body(response))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert data["language"] == "en"
    assert data["license"]["name"] == "CC-BY-4.0"
    assert data["source"] == "http://testserver/en/agreements.json?kind=mou"
    assert data["results"][0]["parties"] == ["Osaka Bio", "Munich Bio"]


def test_the_organisation_download_searches_like_the_list(client, agreements):
    url = reverse("organizations:organization_download_csv")

    everyone = csv_rows(client.get(url))
    found = csv_rows(client.get(url, {"q": "osaka"}))
    in_germany = csv_rows(client.get(url, {"region": "DE"}))

    assert [row["slug"] for row in everyone] == ["munich", "osaka"]  # by name
    assert [row["slug"] for row in found] == ["osaka"]
    assert [row["slug"] for row in in_germany] == ["munich"]
    assert everyone[1]["region"] == "Japan"
    assert everyone[1]["region_code"] == "JP"


def test_the_organisation_list_links_its_downloads_with_the_search(client, agreements):
    html = client.get(reverse("organizations:organization_list"), {"q": "osaka"}).content.decode()

    assert 'href="/en/organizations.csv?q=osaka"' in html


def test_a_download_reads_its_rows_in_a_fixed_number_of_queries(
    client, agreements, organization_factory, focus_area_factory, django_assert_max_num_queries
):
    focus = focus_area_factory()
    for organization in organization_factory.create_batch(30):
        organization.focus_areas.add(focus)
    for name in ("partnerships:agreement_download_csv", "organizations:organization_download_json"):
        # The filters' look-ups, and one query for the rows whatever their number.
        with django_assert_max_num_queries(4):
            body(client.get(reverse(name)))
    assert Organization.objects.count() == 32


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b", "region": "%", "kind": "<script>", "focus": "\u202e"},
        {"organization": "' OR 1=1 --", "year": "-1", "status": "x", "sort": "nope"},
        {"q": "東京 " * 200},
    ],
)
def test_a_download_with_bad_filters_streams_to_the_end(client, agreements, query):
    """The body is produced after the view returns: an error there would not be a 500 but a
    truncated file. Bad filters are dropped as on the lists, and the file is complete."""
    for name in (
        "partnerships:agreement_download_json",
        "organizations:organization_download_json",
    ):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        assert "results" in json.loads(body(response))


@time_machine.travel(datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_a_download_after_23_00_utc_is_dated_by_the_portals_own_day(client, agreements):
    response = client.get(reverse("partnerships:agreement_download_csv"))

    # 23:30 UTC is 00:30 on the 7th in Europe/Berlin (TIME_ZONE).
    assert response["Content-Disposition"] == 'attachment; filename="agreements-en-2026-12-07.csv"'
