"""The embeddable widgets (partnerships/widgets.py): what they show, that only they may be framed,
that they run no script, and the snippet on the organisation's admin page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.portal.test_headers import CSP_WITHOUT_NONCE

PARTNERS = "/en/embed/organizations/{}/partners/"


@pytest.fixture
def partnership(agreement_party_factory, region_factory, subdivision_factory):
    party = agreement_party_factory(
        organization__name="Example Home Cluster",
        organization__region=subdivision_factory(name="Teststate North"),
        agreement__title="Example widget agreement",
    )
    partner = agreement_party_factory(
        agreement=party.agreement,
        organization__name="Example Partner Cluster",
        organization__region=subdivision_factory(
            name="Teststate South", parent=region_factory(name="Testsouthland")
        ),
    )
    return party, partner


def test_partners_widget_lists_the_partners_with_their_countries(client, partnership):
    party, _partner = partnership

    page = client.get(PARTNERS.format(party.organization.slug)).content.decode()

    assert "Example Partner Cluster" in page
    assert "Teststate South, Testsouthland" in page


def test_partners_widget_omits_partners_of_unpublished_agreements(client, agreement_party_factory):
    party = agreement_party_factory(agreement__publication="draft")
    agreement_party_factory(agreement=party.agreement, organization__name="Example Secret Partner")

    page = client.get(PARTNERS.format(party.organization.slug)).content.decode()

    assert "Example Secret Partner" not in page


def test_region_pair_widget_lists_the_agreements_between_the_regions(client, partnership):
    party, partner = partnership
    url = reverse(
        "partnerships:widget_region_pair",
        kwargs={
            "slug": party.organization.region.slug,
            "other_slug": partner.organization.region.slug,
        },
    )

    page = client.get(url).content.decode()

    assert "Example widget agreement" in page
    assert "Example Partner Cluster (Testsouthland)" in page


def test_widgets_may_be_framed_by_any_site_and_run_no_script(client, partnership):
    party, _partner = partnership

    response = client.get(PARTNERS.format(party.organization.slug))

    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'none'" in policy
    assert "<script" not in response.content.decode()
    assert not response.cookies


def test_every_other_page_still_refuses_to_be_framed(client, partnership):
    party, _partner = partnership

    response = client.get(
        reverse("partnerships:organization_detail", args=[party.organization.slug])
    )

    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == CSP_WITHOUT_NONCE


def test_widget_speaks_the_language_of_its_url_and_links_open_the_portal_in_a_new_tab(
    client, partnership
):
    party, _partner = partnership
    with translation.override("de"):
        url = reverse("partnerships:widget_partners", args=[party.organization.slug])

    page = client.get(url).content.decode()

    assert '<html lang="de">' in page
    assert "Partner von Example Home Cluster" in page
    links = re.findall(r"<a [^>]*>", page)
    assert links and all('target="_blank" rel="noopener"' in link for link in links)


def test_widgets_read_a_fixed_number_of_queries(
    client, partnership, agreement_party_factory, django_assert_max_num_queries, settings
):
    party, partner = partnership
    for _ in range(5):
        agreement_party_factory(
            agreement__title="More", organization=party.organization
        ).agreement.parties.create(organization=partner.organization, position=1)

    # the organisation, its partners' ids, the partners, their countries
    with django_assert_max_num_queries(4):
        client.get(PARTNERS.format(party.organization.slug))
    # Warm (the pair's cached summary, as production keeps it): both regions, the content
    # generation, the agreements, their parties, the parties' countries.
    settings.PORTAL_SUMMARY_CACHE = True
    cache.clear()
    pair = reverse(
        "partnerships:widget_region_pair",
        args=[party.organization.region.slug, partner.organization.region.slug],
    )
    client.get(pair)
    with django_assert_max_num_queries(6):
        client.get(pair)


def test_the_organisation_admin_page_offers_the_snippet_in_every_language(
    admin_client, organization_factory
):
    organization = organization_factory(slug="example-snippet")

    page = admin_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()

    for language in ("en", "de", "ja"):
        assert f"/{language}/embed/organizations/example-snippet/partners/" in page
    assert "&lt;iframe src=" in page
