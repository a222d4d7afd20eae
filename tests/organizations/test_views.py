"""The public organisation and region pages."""

import pytest

from organizations.models import Region, Visibility


def content(response) -> str:
    return response.content.decode()


@pytest.fixture
def munich(region_factory, subdivision_factory):
    """Testland › Test Bavaria › Test Upper Bavaria › Test Munich."""
    country = region_factory(name="Testland", slug="testland")
    state = subdivision_factory(name="Test Bavaria", slug="test-bavaria", parent=country)
    district = subdivision_factory(
        name="Test Upper Bavaria", slug="test-upper-bavaria", parent=state, kind="district"
    )
    return subdivision_factory(name="Test Munich", slug="test-munich", parent=district, kind="city")


# Organisation detail --------------------------------------------------------------------------


def test_organization_detail_shows_the_profile(client, organization_factory):
    org = organization_factory(
        name="Example Biotech Cluster", short_name="EBC", description="Supports biotech SMEs."
    )
    page = content(client.get(org.get_absolute_url()))
    assert "Example Biotech Cluster" in page
    assert "(EBC)" in page
    assert "Supports biotech SMEs." in page


def test_organization_detail_of_unknown_slug_is_not_found(client, db):
    assert client.get("/en/organizations/no-such-organisation/").status_code == 404


def test_organization_detail_shows_the_region_breadcrumb(client, organization_factory, munich):
    org = organization_factory(region=munich)
    page = content(client.get(org.get_absolute_url()))
    names = ["Testland", "Test Bavaria", "Test Upper Bavaria", "Test Munich"]
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_organization_detail_shows_focus_areas(client, organization_factory, focus_area_factory):
    org = organization_factory()
    org.focus_areas.add(focus_area_factory(name="Personalised medicine"))
    assert "Personalised medicine" in content(client.get(org.get_absolute_url()))


def test_organization_detail_links_parent_and_children(client, organization_factory):
    foundation = organization_factory(name="Example Foundation")
    org = organization_factory(name="Example Headquarters", parent=foundation)
    child = organization_factory(name="Example Office", parent=org)
    page = content(client.get(org.get_absolute_url()))
    assert foundation.get_absolute_url() in page
    assert child.get_absolute_url() in page


def test_organization_detail_lists_its_published_agreements(client, agreement_party_factory):
    party = agreement_party_factory(agreement__title="Published cooperation")
    page = content(client.get(party.organization.get_absolute_url()))
    assert "Published cooperation" in page


def test_organization_detail_hides_unpublished_agreements(client, agreement_party_factory):
    party = agreement_party_factory(
        agreement__title="Unpublished cooperation", agreement__publication="draft"
    )
    page = content(client.get(party.organization.get_absolute_url()))
    assert "Unpublished cooperation" not in page


def test_organization_detail_lists_partner_organisations(
    client, agreement_party_factory, organization_factory
):
    party = agreement_party_factory()
    agreement_party_factory(agreement=party.agreement, organization__name="Example Partner Org")
    page = content(client.get(party.organization.get_absolute_url()))
    assert "Partner organisations" in page
    assert "Example Partner Org" in page


def test_organization_detail_hides_partners_of_unpublished_agreements(
    client, agreement_party_factory
):
    party = agreement_party_factory(agreement__publication="draft")
    agreement_party_factory(agreement=party.agreement, organization__name="Secret Partner Org")
    page = content(client.get(party.organization.get_absolute_url()))
    assert "Secret Partner Org" not in page


def test_organization_detail_shows_public_contacts(client, affiliation_factory):
    affiliation = affiliation_factory(email="desk@example.org", visibility=Visibility.PUBLIC)
    page = content(client.get(affiliation.organization.get_absolute_url()))
    assert "desk@example.org" in page


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN])
def test_organization_detail_never_shows_non_public_contacts(
    client, affiliation_factory, visibility
):
    affiliation = affiliation_factory(
        email="private@example.org", visibility=visibility, person__family_name="Hiddenperson"
    )
    page = content(client.get(affiliation.organization.get_absolute_url()))
    assert "private@example.org" not in page
    assert "Hiddenperson" not in page


def test_organization_detail_marks_a_description_shown_in_english(client, organization_factory):
    org = organization_factory(description_en="English only text", description_ja="")
    page = content(client.get(f"/ja/organizations/{org.slug}/"))
    assert '<div lang="en" data-fallback><p>English only text</p></div>' in page


def test_organization_detail_runs_a_fixed_number_of_queries(
    client,
    organization_factory,
    agreement_factory,
    agreement_party_factory,
    affiliation_factory,
    munich,
    django_assert_max_num_queries,
):
    org = organization_factory(region=munich)
    organization_factory.create_batch(3, parent=org)
    for agreement in agreement_factory.create_batch(30):
        agreement_party_factory(agreement=agreement, organization=org)
        agreement_party_factory.create_batch(2, agreement=agreement)
    affiliation_factory.create_batch(5, organization=org)
    # organisation, focus areas, children, agreements, their parties, their count, partners,
    # their count, contacts, the region chain (breadcrumb and JSON-LD address), and the map (its
    # agreements and their placed parties; none placed here, so no arcs to read). Fewer agreements
    # than shown: no count and no map query (tests/partnerships/test_maps.py).
    # The partners' ids are read as a list first (partnerships.selectors.partners_of): + 1.
    # The partner profile's target regions (prefetched): + 1.
    # The recent joint activities (issue 21): + 1; the parties' countries (issue 22): + 1.
    with django_assert_max_num_queries(16):
        response = client.get(org.get_absolute_url())
    # Ten of the 30, and a link to the agreement list filtered by the organisation.
    page = content(response)
    assert page.count('class="card agreement-card"') == 10
    assert f"?organization={org.slug}" in page


# Regions --------------------------------------------------------------------------------------


def test_region_list_shows_countries_with_organisations_and_drills_down(
    client, organization_factory, munich
):
    organization_factory(region=munich)
    page = content(client.get("/en/regions/"))
    assert "Testland" in page
    assert "Test Munich" not in page  # on the region pages, not in a tree of every region
    assert "Test Bavaria" in content(client.get("/en/regions/testland/"))


def test_region_list_counts_organisations_of_sub_regions(client, organization_factory, munich):
    organization_factory.create_batch(2, region=munich)
    organization_factory(region=munich.parent.parent)
    response = client.get("/en/regions/")
    counts = {region.slug: count for region, count in response.context["countries"]}
    assert counts == {"testland": 3}


def test_region_page_lists_child_regions_with_their_counts(client, organization_factory, munich):
    organization_factory.create_batch(2, region=munich)
    response = client.get(f"/en/regions/{munich.parent.slug}/")
    assert [(r.slug, n) for r, n in response.context["subregions"]] == [("test-munich", 2)]


def test_region_page_pages_through_many_child_regions(
    client, organization_factory, region_factory, munich
):
    from partnerships.views import SUBREGIONS_PAGE_SIZE

    state = munich.parent
    for i in range(SUBREGIONS_PAGE_SIZE + 5):
        city = region_factory(slug=f"city-{i:03}", parent=state, kind=Region.Kind.CITY)
        organization_factory(region=city)
    first = client.get(f"/en/regions/{state.slug}/").context["subregions"]
    second = client.get(f"/en/regions/{state.slug}/", {"regions_page": 2}).context["subregions"]
    assert len(first.object_list) == SUBREGIONS_PAGE_SIZE
    assert len(second.object_list) == 5  # Munich has no organisation: not listed


def test_region_list_groups_countries_by_continent_with_counts(
    client, organization_factory, region_factory
):
    germany = region_factory(name="Test Germany", slug="test-de", iso_code="DE")
    france = region_factory(name="Test France", slug="test-fr", iso_code="FR")
    japan = region_factory(name="Test Japan", slug="test-jp", iso_code="JP")
    nowhere = region_factory(name="Test Nowhere", slug="test-nowhere", iso_code="")
    organization_factory.create_batch(2, region=germany)
    organization_factory(region=france)
    organization_factory(region=japan)
    organization_factory(region=nowhere)

    response = client.get("/en/regions/")

    continents = [
        (c.name, c.organizations, [r.slug for r, _ in c.countries])
        for c in response.context["continents"]
    ]
    assert continents == [
        ("Europe", 3, ["test-fr", "test-de"]),  # the most organisations first, countries by name
        ("Asia", 1, ["test-jp"]),
        ("Other countries", 1, ["test-nowhere"]),  # no known continent: last
    ]
    page = content(response)
    assert "3 organisations · 2 countries" in page
    assert "Europa" in content(client.get("/de/regions/"))


def test_region_list_runs_a_fixed_number_of_queries(
    client, organization_factory, django_assert_max_num_queries
):
    organization_factory.create_batch(30)
    with django_assert_max_num_queries(3):  # counts per country, countries, macro-regions
        client.get("/en/regions/")


def test_region_detail_lists_organisations_of_sub_regions(client, organization_factory, munich):
    organization_factory(name="Example Munich Cluster", region=munich)
    page = content(client.get("/en/regions/test-bavaria/"))
    assert "Example Munich Cluster" in page


def test_region_detail_includes_members_of_a_macro_region(
    client, organization_factory, region_factory, munich
):
    macro = region_factory(name="Test Macro", slug="test-macro", kind=Region.Kind.MACRO_REGION)
    macro.members.add(munich.parent.parent)
    organization_factory(name="Example Member Cluster", region=munich)
    page = content(client.get("/en/regions/test-macro/"))
    assert "Example Member Cluster" in page


def test_region_detail_lists_agreements_involving_the_region(
    client, agreement_party_factory, munich
):
    agreement_party_factory(agreement__title="Munich cooperation", organization__region=munich)
    agreement_party_factory(agreement__title="Elsewhere cooperation")
    page = content(client.get("/en/regions/testland/"))
    assert "Munich cooperation" in page
    assert "Elsewhere cooperation" not in page


def test_region_detail_hides_unpublished_agreements(client, agreement_party_factory, munich):
    agreement_party_factory(
        agreement__title="Secret cooperation",
        agreement__publication="draft",
        organization__region=munich,
    )
    assert "Secret cooperation" not in content(client.get("/en/regions/testland/"))


def test_region_detail_links_partner_regions(
    client, agreement_party_factory, region_factory, subdivision_factory, munich
):
    party = agreement_party_factory(organization__region=munich)
    otherland = region_factory(name="Otherland", slug="otherland")
    agreement_party_factory(
        agreement=party.agreement, organization__region=subdivision_factory(parent=otherland)
    )
    page = content(client.get("/en/regions/test-bavaria/"))
    assert "/en/regions/test-bavaria/otherland/" in page


def test_region_detail_of_unknown_slug_is_not_found(client, db):
    assert client.get("/en/regions/atlantis/").status_code == 404


def test_region_detail_page_past_the_end_shows_the_last_page(client, organization_factory, munich):
    organization_factory.create_batch(26, region=munich)
    response = client.get("/en/regions/test-munich/", {"page": "50"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_region_detail_runs_a_fixed_number_of_queries(
    client, agreement_factory, agreement_party_factory, munich, django_assert_max_num_queries
):
    for agreement in agreement_factory.create_batch(30):
        agreement_party_factory(agreement=agreement, organization__region=munich)
        agreement_party_factory.create_batch(2, agreement=agreement)
    # region; its summary (partnerships/regions.py; computed here: the summary cache is off in
    # tests): subtree, agreements with status and date, partners' regions + the regions above,
    # organisations count, child regions + their counts, the map (its ids, points and arcs);
    # then per request: organisations page, breadcrumb, sub-regions page, the newest agreements
    # + parties, members, part of, partner regions; the parties' countries (issue 22)
    with django_assert_max_num_queries(19):
        response = client.get("/en/regions/testland/")
    assert response.context["agreement_count"] == 30


def test_region_pair_shows_agreements_with_parties_in_both(
    client, agreement_party_factory, region_factory, subdivision_factory, munich
):
    otherland = region_factory(slug="otherland")
    both = agreement_party_factory(agreement__title="Bridge agreement", organization__region=munich)
    agreement_party_factory(
        agreement=both.agreement, organization__region=subdivision_factory(parent=otherland)
    )
    agreement_party_factory(agreement__title="Munich only", organization__region=munich)
    page = content(client.get("/en/regions/test-bavaria/otherland/"))
    assert "Bridge agreement" in page
    assert "Munich only" not in page


def test_region_pair_with_an_unknown_region_is_not_found(client, munich):
    assert client.get("/en/regions/testland/atlantis/").status_code == 404


def test_region_pair_of_a_region_with_itself_redirects_to_the_region(client, munich):
    response = client.get("/en/regions/testland/testland/")
    assert response.status_code == 302
    assert response["Location"] == "/en/regions/testland/"


def test_region_pair_runs_a_fixed_number_of_queries(
    client,
    agreement_factory,
    agreement_party_factory,
    region_factory,
    subdivision_factory,
    munich,
    django_assert_max_num_queries,
):
    other = subdivision_factory(parent=region_factory(slug="otherland"))
    for agreement in agreement_factory.create_batch(30):
        agreement_party_factory(agreement=agreement, organization__region=munich)
        agreement_party_factory(agreement=agreement, organization__region=other)
        agreement_party_factory(agreement=agreement)
    # two regions; the pair's summary (computed here: the summary cache is off in tests): two
    # subtrees, the agreements' ids and statuses, the map; then the page by ids + parties;
    # + the recent joint activities (issue 21), + the parties' countries (issue 22)
    with django_assert_max_num_queries(11):
        response = client.get("/en/regions/testland/otherland/")
    assert response.context["page_obj"].paginator.count == 30


# Search placeholder ---------------------------------------------------------------------------


def test_region_pair_hides_unpublished_agreements(
    client, agreement_party_factory, region_factory, subdivision_factory, munich
):
    otherland = region_factory(slug="otherland")
    both = agreement_party_factory(
        agreement__title="Secret bridge",
        agreement__publication="draft",
        organization__region=munich,
    )
    agreement_party_factory(
        agreement=both.agreement, organization__region=subdivision_factory(parent=otherland)
    )
    assert "Secret bridge" not in content(client.get("/en/regions/testland/otherland/"))
