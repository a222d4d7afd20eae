"""Every invariant of the organizations app, checked twice: the database rejects the bad row by
itself (bypassing ``clean()``), and ``full_clean()`` explains the problem on the right field."""

import signal
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError

from organizations.models import Affiliation, Organization, Region


def assert_database_rejects(constraint_name, write):
    """Run ``write`` in a savepoint and check the database refused it with ``constraint_name``."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    assert excinfo.value.__cause__.diag.constraint_name == constraint_name


@contextmanager
def fails_after(seconds):
    """Turn an endless loop into a test failure instead of a hung test run."""

    def give_up(signum, frame):
        raise AssertionError(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validation_messages(instance):
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


# Region: organizations_region_unique_iso_code


def test_database_rejects_a_second_region_with_the_same_iso_code(region_factory):
    region_factory(iso_code="XA")
    count = Region.objects.count()

    assert_database_rejects(
        "organizations_region_unique_iso_code",
        lambda: Region.objects.create(name="Testland copy", slug="testland-copy", iso_code="XA"),
    )
    assert Region.objects.count() == count


def test_database_accepts_many_regions_without_an_iso_code(region_factory):
    region_factory(iso_code="")
    region_factory(iso_code="")

    assert Region.objects.filter(iso_code="").count() == 2


def test_full_clean_reports_a_duplicate_iso_code_on_the_code(region_factory):
    region_factory(iso_code="XA")
    duplicate = Region(name="Testland copy", slug="testland-copy", kind="country", iso_code="XA")

    assert validation_messages(duplicate) == {
        "iso_code": ["Another region already has this ISO 3166 code."]
    }


# Region: organizations_region_not_own_parent


def test_database_rejects_a_region_that_is_its_own_parent(subdivision_factory):
    region = subdivision_factory()
    parent_id = region.parent_id

    assert_database_rejects(
        "organizations_region_not_own_parent",
        lambda: Region.objects.filter(pk=region.pk).update(parent=F("pk")),
    )
    region.refresh_from_db()
    assert region.parent_id == parent_id


def test_full_clean_reports_a_region_that_is_its_own_parent_on_the_parent(subdivision_factory):
    region = subdivision_factory()
    region.parent = region

    assert validation_messages(region) == {"parent": ["A region cannot be its own parent."]}


def test_full_clean_reports_a_region_parent_cycle_on_the_parent(subdivision_factory):
    state = subdivision_factory()
    district = subdivision_factory(parent=state, kind=Region.Kind.DISTRICT)
    state.parent = district

    assert validation_messages(state) == {
        "parent": ["This parent would make the region its own ancestor."]
    }


def test_full_clean_of_a_region_below_an_existing_cycle_terminates(subdivision_factory):
    upper = subdivision_factory(kind=Region.Kind.DISTRICT)
    lower = subdivision_factory(kind=Region.Kind.DISTRICT, parent=upper)
    Region.objects.filter(pk=upper.pk).update(parent=lower)  # a cycle, bypassing clean()
    city = Region.objects.get(pk=subdivision_factory(kind=Region.Kind.CITY, parent=lower).pk)

    with fails_after(5):
        city.full_clean()


# Region: organizations_region_latitude_range / longitude_range / centroid_complete


def test_database_rejects_a_latitude_beyond_the_pole(region_factory):
    count = Region.objects.count()

    assert_database_rejects(
        "organizations_region_latitude_range",
        lambda: Region.objects.create(
            name="Testland", slug="testland-x", latitude=Decimal("90.5"), longitude=Decimal("0")
        ),
    )
    assert Region.objects.count() == count


def test_full_clean_reports_a_latitude_beyond_the_pole_on_the_latitude(region_factory):
    region = region_factory.build(latitude=Decimal("-90.5"), longitude=Decimal("0"))

    assert validation_messages(region) == {
        "latitude": ["The latitude must be between -90 and 90 degrees."]
    }


def test_database_rejects_a_longitude_beyond_the_date_line(region_factory):
    count = Region.objects.count()

    assert_database_rejects(
        "organizations_region_longitude_range",
        lambda: Region.objects.create(
            name="Testland", slug="testland-x", latitude=Decimal("0"), longitude=Decimal("180.5")
        ),
    )
    assert Region.objects.count() == count


def test_full_clean_reports_a_longitude_beyond_the_date_line_on_the_longitude(region_factory):
    region = region_factory.build(latitude=Decimal("0"), longitude=Decimal("-180.5"))

    assert validation_messages(region) == {
        "longitude": ["The longitude must be between -180 and 180 degrees."]
    }


def test_database_accepts_a_centroid_on_the_edges_of_the_map(region_factory):
    region = region_factory(latitude=Decimal("-90"), longitude=Decimal("180"))

    region.full_clean()
    assert Region.objects.filter(pk=region.pk, latitude=-90, longitude=180).exists()


def test_database_rejects_a_latitude_without_a_longitude(region_factory):
    count = Region.objects.count()

    assert_database_rejects(
        "organizations_region_centroid_complete",
        lambda: Region.objects.create(name="Testland", slug="testland-x", latitude=Decimal("48")),
    )
    assert Region.objects.count() == count


def test_full_clean_reports_a_missing_longitude_on_the_longitude(region_factory):
    region = region_factory.build(latitude=Decimal("48.1"))

    assert validation_messages(region) == {
        "longitude": ["Give both latitude and longitude, or neither."]
    }


def test_full_clean_reports_a_missing_latitude_on_the_latitude(region_factory):
    region = region_factory.build(longitude=Decimal("11.5"))

    assert validation_messages(region) == {
        "latitude": ["Give both latitude and longitude, or neither."]
    }


# Region: organizations_region_country_is_root


def test_database_rejects_a_country_below_another_region(region_factory):
    macro_region = region_factory(kind=Region.Kind.MACRO_REGION)
    count = Region.objects.count()

    assert_database_rejects(
        "organizations_region_country_is_root",
        lambda: Region.objects.create(
            name="Testland", slug="testland-x", kind=Region.Kind.COUNTRY, parent=macro_region
        ),
    )
    assert Region.objects.count() == count


def test_full_clean_reports_a_country_below_another_region_on_the_parent(region_factory):
    macro_region = region_factory(kind=Region.Kind.MACRO_REGION)
    country = region_factory.build(kind=Region.Kind.COUNTRY, parent=macro_region)

    assert validation_messages(country) == {"parent": ["A country is a top-level region."]}


# Region: protected deletes


def test_deleting_a_region_with_organisations_is_refused(organization_factory):
    organization = organization_factory()
    region = organization.region

    with pytest.raises(ProtectedError), transaction.atomic():
        region.delete()
    assert Region.objects.filter(pk=region.pk).exists()
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_deleting_a_region_with_subregions_is_refused(subdivision_factory):
    state = subdivision_factory()
    country = state.parent

    with pytest.raises(ProtectedError), transaction.atomic():
        country.delete()
    assert Region.objects.filter(pk__in=[country.pk, state.pk]).count() == 2


# Region: subtree_ids, and the organisations registered in a subtree


@pytest.fixture
def testland(region_factory, subdivision_factory):
    """Testland → Test State → Test District → Test City, plus a sibling state."""
    country = region_factory(name="Testland", slug="testland")
    state = subdivision_factory(name="Test State", slug="test-state", parent=country)
    district = subdivision_factory(
        name="Test District", slug="test-district", kind=Region.Kind.DISTRICT, parent=state
    )
    city = subdivision_factory(
        name="Test City", slug="test-city", kind=Region.Kind.CITY, parent=district
    )
    other_state = subdivision_factory(name="Other State", slug="other-state", parent=country)
    return country, state, district, city, other_state


def test_subtree_ids_include_every_level_below_a_country(testland):
    country, state, district, city, other_state = testland

    assert set(Region.objects.subtree_ids(country)) == {
        country.pk,
        state.pk,
        district.pk,
        city.pk,
        other_state.pk,
    }


def test_subtree_ids_of_a_district_exclude_its_parents_and_siblings(testland):
    _country, _state, district, city, _other_state = testland

    assert set(Region.objects.subtree_ids(district)) == {district.pk, city.pk}


def test_an_organisation_in_a_city_is_in_its_district_state_and_country(
    testland, organization_factory
):
    country, state, district, city, other_state = testland
    organization = organization_factory(region=city)

    for region in (city, district, state, country):
        assert list(
            Organization.objects.filter(region_id__in=Region.objects.subtree_ids(region))
        ) == [organization]
    assert not Organization.objects.filter(
        region_id__in=Region.objects.subtree_ids(other_state)
    ).exists()


def test_a_macro_region_includes_the_organisations_of_its_member_prefectures(
    region_factory, subdivision_factory, organization_factory
):
    prefecture = subdivision_factory(name="Test Prefecture", slug="test-prefecture")
    ward = subdivision_factory(name="Test Ward", slug="test-ward", kind="city", parent=prefecture)
    outside = subdivision_factory(name="Outside Prefecture", slug="outside-prefecture")
    macro_region = region_factory(
        name="Test Macro-region", slug="test-macro-region", kind=Region.Kind.MACRO_REGION
    )
    macro_region.members.add(prefecture)
    in_prefecture = organization_factory(region=prefecture)
    in_ward = organization_factory(region=ward)
    organization_factory(region=outside)

    assert set(
        Organization.objects.filter(region_id__in=Region.objects.subtree_ids(macro_region))
    ) == {in_prefecture, in_ward}


def test_a_prefecture_does_not_include_the_macro_regions_it_belongs_to(
    region_factory, subdivision_factory
):
    prefecture = subdivision_factory()
    macro_region = region_factory(kind=Region.Kind.MACRO_REGION)
    macro_region.members.add(prefecture)

    assert list(Region.objects.subtree_ids(prefecture)) == [prefecture.pk]


def test_subtree_ids_terminate_when_macro_regions_include_each_other(region_factory):
    first = region_factory(kind=Region.Kind.MACRO_REGION)
    second = region_factory(kind=Region.Kind.MACRO_REGION)
    first.members.add(second)
    second.members.add(first)

    assert set(Region.objects.subtree_ids(first)) == {first.pk, second.pk}


# Organization: organizations_organization_not_own_parent


def test_database_rejects_an_organisation_that_is_its_own_parent(organization_factory):
    organization = organization_factory()

    assert_database_rejects(
        "organizations_organization_not_own_parent",
        lambda: Organization.objects.filter(pk=organization.pk).update(parent=F("pk")),
    )
    organization.refresh_from_db()
    assert organization.parent_id is None


def test_full_clean_reports_an_organisation_that_is_its_own_parent_on_the_parent(
    organization_factory,
):
    organization = organization_factory()
    organization.parent = organization

    assert validation_messages(organization) == {
        "parent": ["An organisation cannot be its own parent or ancestor."]
    }


def test_full_clean_reports_an_organisation_parent_cycle_on_the_parent(organization_factory):
    foundation = organization_factory(kind=Organization.Kind.FOUNDATION)
    headquarters = organization_factory(parent=foundation)
    foundation.parent = headquarters

    assert validation_messages(foundation) == {
        "parent": ["An organisation cannot be its own parent or ancestor."]
    }


def test_full_clean_of_an_organisation_below_an_existing_cycle_terminates(organization_factory):
    upper = organization_factory()
    lower = organization_factory(parent=upper)
    Organization.objects.filter(pk=upper.pk).update(parent=lower)  # a cycle, bypassing clean()
    member = Organization.objects.get(pk=organization_factory(parent=lower).pk)

    with fails_after(5):
        member.full_clean()


def test_deleting_an_organisation_with_member_organisations_is_refused(organization_factory):
    foundation = organization_factory(kind=Organization.Kind.FOUNDATION)
    organization_factory(parent=foundation)

    with pytest.raises(ProtectedError), transaction.atomic():
        foundation.delete()
    assert Organization.objects.count() == 2


# Affiliation: organizations_affiliation_unique_person_organization


def test_database_rejects_a_second_contact_point_for_a_person_at_one_organisation(
    affiliation_factory,
):
    affiliation = affiliation_factory(position="Test director")
    count = Affiliation.objects.count()

    assert_database_rejects(
        "organizations_affiliation_unique_person_organization",
        lambda: Affiliation.objects.create(
            person=affiliation.person,
            organization=affiliation.organization,
            position="Test treasurer",
        ),
    )
    assert Affiliation.objects.count() == count


def test_full_clean_reports_a_second_contact_point_for_a_person_at_one_organisation(
    affiliation_factory,
):
    affiliation = affiliation_factory(position="Test director")
    duplicate = Affiliation(
        person=affiliation.person, organization=affiliation.organization, position="Test director"
    )

    messages = validation_messages(duplicate)

    assert messages == {
        NON_FIELD_ERRORS: [
            "This person already has a position at this organisation: edit that one."
        ]
    }


def test_a_new_affiliation_is_hidden_until_made_public(affiliation_factory):
    affiliation = Affiliation.objects.create(
        person=affiliation_factory().person, organization=affiliation_factory().organization
    )

    assert not Affiliation.objects.publishable().filter(pk=affiliation.pk).exists()
