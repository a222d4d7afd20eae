"""The open-data export's records of the presented resources come from their presenters
(portal/open_data/records.py): each agrees with what the API publishes for the same row, and
the export reads each table in a fixed number of queries however many rows it holds."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.languages import language_codes
from portal import open_data
from tests import factories, test_visibility
from tests.test_visibility import World

world = test_visibility.world

BASE_URL = "http://testserver"
# table → the API's detail of its rows
API_DETAILS = {
    "regions": "regions",
    "organizations": "organizations",
    "events": "events",
    "agreements": "agreements",
    "documents": "documents",
}
# Columns that the API writes otherwise (the export: E.164, to the second in UTC).
WRITTEN_OTHERWISE = {"phone", "updated_at"}


def _tables() -> dict[str, open_data.schema.Table]:
    return {table.name: table for table in open_data.tables(BASE_URL)}


def _api_value(api: dict[str, Any], column: str) -> tuple[bool, Any]:
    """The API's value of an export column: (found, value)."""
    if column in api:
        return True, api[column]
    base, _, last = column.rpartition("_")
    if last in language_codes():
        texts = (api.get("translations") or {}).get(base)
        return (texts is not None), (texts or {}).get(last)
    if last == "id" and base in api:
        value = api[base]
        return True, value["id"] if isinstance(value, dict) else value
    if column == "agreement_id":
        return "agreement" in api, api.get("agreement")
    return False, None


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return value
    return "" if value is None else value


def test_each_presented_record_holds_what_the_api_publishes_for_its_row(client, world: World):
    tables = _tables()
    compared = 0
    for name, resource in API_DETAILS.items():
        for record in tables[name].records():
            response = client.get(f"/api/v1/{resource}/{record['id']}/", {"lang": "all"})
            assert response.status_code == 200, (name, record["id"])
            api = json.loads(response.content)
            for column, value in record.items():
                found, published = _api_value(api, column)
                if not found or column in WRITTEN_OTHERWISE:
                    continue
                if column == "lineage" and api["previous"] is None:
                    continue  # the export leaves it out with an earlier agreement not public
                assert _comparable(value) == _comparable(published), (name, column)
                compared += 1
    assert compared > 100


def test_the_signings_records_are_the_agreements_signings_in_the_api(client, world: World):
    records = list(_tables()["signings"].records())
    agreement = world.public["agreement"]
    response = client.get(f"/api/v1/agreements/{agreement.pk}/", {"lang": "all"})
    published = {s["id"]: s for s in json.loads(response.content)["signing_events"]}

    assert records
    for record in records:
        signing = published[record["id"]]
        assert record["signed_on"] == signing["signed_on"]
        assert record["place_id"] == (signing["place"] or {}).get("id")
        assert record["event_id"] == (signing["occasion"] or {}).get("id")
        for code in language_codes():
            assert record[f"venue_{code}"] == signing["translations"]["venue"][code]


def _queries_per_table() -> dict[str, int]:
    counts = {}
    for table in open_data.tables(BASE_URL):
        with CaptureQueriesContext(connection) as queries:
            list(table.records())
        counts[table.name] = len(queries)
    return counts


def test_each_table_is_read_in_the_same_number_of_queries_for_more_rows(world: World):
    before = _queries_per_table()
    for _ in range(3):
        party = factories.AgreementPartyFactory()
        signing = factories.SigningEventFactory(
            agreement=party.agreement, occasion=factories.EventFactory()
        )
        factories.SignatureFactory(signing_event=signing, party=party)
        factories.AttendanceFactory(signing_event=signing)
        factories.StatementFactory(agreement=party.agreement)
        factories.DocumentFactory(agreement=party.agreement)
        factories.CooperationAreaFactory(agreement=party.agreement)
        factories.AffiliationFactory()

    assert _queries_per_table() == before
