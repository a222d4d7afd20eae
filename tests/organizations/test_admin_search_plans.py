"""The admin's searches and autocompletes at scale (issue 24): people are read in name order
along ``organizations_person_names`` and the name match stays visible to the planner;
organisations in English name order along ``organizations_org_name_en``.

At 50,000 people a broad term ("fake", a common surname) matched and sorted every person (2–5 s)
and a rare one read every person in name order (the organisation part, a subquery, hid the name
match's selectivity). These tests hold the query's shape, not a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

AUTOCOMPLETE = {
    "app_label": "partnerships",
    "model_name": "signature",
    "field_name": "person",
}


def page_query(client, term: str, source: dict[str, str], table: str) -> str:
    """The SQL of the autocomplete's page of rows of ``table`` for ``term``."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:autocomplete"), {**source, "term": term})
    assert response.status_code == 200
    return next(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'SELECT "{table}"."id"')
    )


def people_query(client, term: str) -> str:
    return page_query(client, term, AUTOCOMPLETE, "organizations_person")


def plan(sql: str, **settings: str) -> str:
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_person_autocomplete_reads_people_in_name_order_along_the_index(
    admin_client, person_factory
):
    person_factory.create_batch(3, family_name="Fakename")

    sql = people_query(admin_client, "fake")

    assert sql.endswith("LIMIT 21")
    # The planner picks the index only where the data make it cheaper (not with three rows):
    # with sorting priced out, it shows that the index serves the order without a sort.
    shown = plan(sql, enable_sort="off", enable_seqscan="off")
    assert "organizations_person_names" in shown
    assert "Sort" not in shown


@pytest.mark.django_db
def test_the_name_match_is_no_union_and_no_subquery_when_no_organisation_is_named_so(
    admin_client, person_factory
):
    person_factory(family_name="Fakename")

    sql = people_query(admin_client, "fake")

    assert "UNION" not in sql
    assert "organizations_affiliation" not in sql


@pytest.mark.django_db
def test_the_people_of_an_organisation_named_so_are_found_too(admin_client, affiliation_factory):
    at_named = affiliation_factory(organization__name="Qwertz Cluster", person__family_name="A")
    affiliation_factory(organization__name="Qwertz Cluster Two", person__family_name="B")

    response = admin_client.get(
        reverse("admin:organizations_person_changelist"), {"q": "Qwertz Cluster"}
    )

    assert list(response.context["cl"].result_list) == [at_named.person]


@pytest.mark.django_db
def test_the_organisation_autocomplete_reads_organisations_in_name_order_along_the_index(
    admin_client, organization_factory
):
    organization_factory.create_batch(3, name="Clustering Cluster")
    party = {
        "app_label": "partnerships",
        "model_name": "agreementparty",
        "field_name": "organization",
    }

    sql = page_query(admin_client, "clust", party, "organizations_organization")

    assert sql.endswith("LIMIT 21")
    shown = plan(sql, enable_sort="off", enable_seqscan="off")
    assert "organizations_org_name_en" in shown
    assert "Sort" not in shown
