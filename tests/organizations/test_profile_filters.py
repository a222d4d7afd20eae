"""The organisation list's partner-profile filters (issue 22), through the one filter set
(organizations/filters.py): languages spoken, target region, SMEs' share, and "who already
cooperates there"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.filters import OrganizationFilterSet
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[str]:
    response = client.get(reverse("organizations:organization_list"), params)
    assert response.status_code == 200
    return [organization.name for organization in response.context["page_obj"]]


def filtered(**data) -> set[str]:
    filters = OrganizationFilterSet(data, queryset=Organization.objects.all())
    assert filters.is_valid(), filters.errors
    return {organization.name for organization in filters.qs}


def test_languages_spoken_filter_keeps_organisations_that_speak_it(client):
    factories.OrganizationFactory(name="Speaks Japanese", languages=["en", "ja"])
    factories.OrganizationFactory(name="Speaks German", languages=["de"])

    assert listed(client, language="ja") == ["Speaks Japanese"]


def test_an_unknown_language_is_ignored_and_named(client):
    factories.OrganizationFactory(name="Anyone")

    response = client.get(reverse("organizations:organization_list"), {"language": "xx"})

    assert [o.name for o in response.context["page_obj"]] == ["Anyone"]
    assert response.context["ignored_filters"] == [("Language spoken", "xx")]


def test_target_region_filter_includes_regions_within_and_above_it():
    japan = factories.RegionFactory(name="Japan T", slug="japan-t", iso_code="JT")
    osaka = factories.SubdivisionFactory(name="Osaka T", slug="osaka-t", parent=japan)
    kyoto = factories.SubdivisionFactory(name="Kyoto T", slug="kyoto-t", parent=japan)
    for name, region in (("Into Japan", japan), ("Into Osaka", osaka), ("Into Kyoto", kyoto)):
        factories.OrganizationFactory(name=name).target_regions.add(region)
    factories.OrganizationFactory(name="Nowhere")

    assert filtered(target="osaka-t") == {"Into Japan", "Into Osaka"}
    assert filtered(target="JT") == {"Into Japan", "Into Osaka", "Into Kyoto"}


def test_sme_share_filter_compares_smes_with_members():
    factories.OrganizationFactory(name="Mostly SMEs", member_count=100, sme_count=80)
    factories.OrganizationFactory(name="Half SMEs", member_count=10, sme_count=5)
    factories.OrganizationFactory(name="Few SMEs", member_count=10, sme_count=2)
    factories.OrganizationFactory(name="No members", member_count=0, sme_count=0)
    factories.OrganizationFactory(name="Unknown")

    assert filtered(smes="50") == {"Mostly SMEs", "Half SMEs"}
    assert filtered(smes="75") == {"Mostly SMEs"}


@pytest.fixture
def cooperation():
    """Bavaria's BioM-like cluster has a published agreement with an Osaka party; another
    Bavarian cluster only an unpublished one; a Saxon one a published one."""
    bavaria = factories.SubdivisionFactory(name="Bavaria T", slug="bavaria-t")
    saxony = factories.SubdivisionFactory(name="Saxony T", slug="saxony-t")
    osaka = factories.SubdivisionFactory(name="Osaka T", slug="osaka-t")
    osaka_hq = factories.OrganizationFactory(name="Osaka HQ", region=osaka)
    names = (("Munich Cluster", bavaria, "published"), ("Draft Cluster", bavaria, "draft"))
    for name, region, publication in (*names, ("Dresden Cluster", saxony, "published")):
        agreement = factories.AgreementFactory(publication=publication)
        factories.AgreementPartyFactory(
            agreement=agreement,
            organization=factories.OrganizationFactory(name=name, region=region),
        )
        factories.AgreementPartyFactory(agreement=agreement, organization=osaka_hq)
    factories.OrganizationFactory(name="Idle Bavarian", region=bavaria)


def test_who_already_cooperates_there_lists_the_home_regions_partners_of_the_target(
    client, cooperation
):
    assert listed(client, region="bavaria-t", cooperates="osaka-t") == ["Munich Cluster"]


def test_who_already_cooperates_there_names_whom_to_ask_for_an_introduction(client, cooperation):
    from organizations.models import Visibility

    munich = Organization.objects.get(name="Munich Cluster")
    factories.AffiliationFactory(
        organization=munich, visibility=Visibility.PUBLIC, person__family_name="Firstpublic"
    )
    international = factories.AffiliationFactory(
        organization=munich, visibility=Visibility.PUBLIC, person__family_name="Globalist"
    )
    factories.AffiliationFactory(
        organization=munich, visibility=Visibility.HIDDEN, person__family_name="Hiddenperson"
    )
    munich.international_contact = international
    munich.save()

    html = client.get(
        reverse("organizations:organization_list"), {"region": "bavaria-t", "cooperates": "osaka-t"}
    ).content.decode()

    assert "Ask for an introduction:" in html
    assert "Globalist" in html
    assert "Firstpublic" not in html
    assert "Hiddenperson" not in html


def test_who_cooperates_with_a_region_needs_a_published_agreement_with_a_party_there(
    cooperation,
):
    assert filtered(cooperates="osaka-t") == {"Munich Cluster", "Dresden Cluster"}
    assert filtered(cooperates="bavaria-t") == {"Osaka HQ"}


def test_the_profile_filters_cost_the_list_a_fixed_number_of_queries(
    client, cooperation, django_assert_max_num_queries
):
    params = {"region": "bavaria-t", "cooperates": "osaka-t", "language": "de", "smes": "25"}
    params["target"] = "osaka-t"
    # The list's queries (tests/test_page_budgets.py) + the two regions resolved + the
    # cooperating organisations' ids + the two regions' subtrees.
    with django_assert_max_num_queries(16):
        listed(client, **params)


def test_the_api_filters_organisations_by_the_profile_too(client):
    factories.OrganizationFactory(name="Speaks Japanese", languages=["ja"])
    factories.OrganizationFactory(name="Speaks German", languages=["de"])

    response = client.get("/api/v1/organizations/", {"language": "ja"})

    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["Speaks Japanese"]


def test_the_organisation_list_has_the_agreement_lists_filter_form_and_cards(client):
    factories.OrganizationFactory(name="Card Cluster")

    html = client.get(reverse("organizations:organization_list")).content.decode()

    assert '<form class="filters"' in html
    assert '<div class="list-layout">' in html
    assert html.count('class="card organization-card"') == 1
    for name in ("kind", "focus", "language", "target", "smes", "cooperates"):
        assert f'name="{name}"' in html


def test_the_cooperating_organisations_are_one_array_parameter_however_many(cooperation):
    filters = OrganizationFilterSet({"cooperates": "osaka-t"}, queryset=Organization.objects.all())
    assert filters.is_valid(), filters.errors

    sql, params = filters.qs.query.sql_with_params()

    assert "= ANY(%s::bigint[])" in sql
    (ids,) = [param for param in params if isinstance(param, list)]
    assert set(ids) == set(
        Organization.objects.filter(name__in=["Munich Cluster", "Dresden Cluster"]).values_list(
            "pk", flat=True
        )
    )


def test_a_filtered_list_counts_its_matches_only_up_to_the_cap(client, monkeypatch):
    """Counting every match of a filter grows with the directory (a language spoken by a
    quarter of 100,000 organisations); the count stops past the cap, as a search's does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organizations.search import organizations as organization_search

    monkeypatch.setattr(organization_search, "RESULT_CAP", 3)
    for number in range(5):
        factories.OrganizationFactory(name=f"Speaker {number}", languages=["ja"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organizations:organization_list"), {"language": "ja"})

    (count,) = [
        query["sql"]
        for query in queries.captured_queries
        if 'SELECT "organizations_organization"."id" AS "pk"' in query["sql"]
        and "COUNT(*)" in query["sql"]
    ]
    assert "LIMIT 4" in count
    assert "More than 3 organisations match" in response.content.decode()
    assert len(response.context["page_obj"].object_list) == 3
