"""Spreadsheet import of organisations and contact points (organizations/imports.py): rows,
errors, duplicates through the search normaliser, and the rights of cluster managers."""

import pytest
from django.utils import translation

from organizations.imports import AffiliationResource, OrganizationResource
from organizations.models import Affiliation, Organization, Person, Region
from organizations.search.duplicates import same_name_in_country
from tests import factories
from tests.personas import build_cast
from tests.spreadsheets import row_errors, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def germany():
    country = factories.RegionFactory(name="Germany", slug="germany", iso_code="DE")
    bavaria = factories.SubdivisionFactory(
        name="Bavaria", slug="bavaria", iso_code="DE-BY", parent=country
    )
    berlin = factories.SubdivisionFactory(
        name="Berlin", slug="berlin", iso_code="DE-BE", parent=country
    )
    return {"country": country, "bavaria": bavaria, "berlin": berlin}


@pytest.fixture
def cast():
    return build_cast()


def organization_row(**values):
    return {
        "slug": "synthetic-cluster",
        "name_en": "Synthetic Cluster",
        "kind": "cluster",
        **values,
    }


# --- Rows ------------------------------------------------------------------------------------


def test_an_administrator_imports_organisations_with_region_by_iso_code_or_slug(germany):
    focus = factories.FocusAreaFactory(slug="test-biotech")
    rows = [
        organization_row(
            region="de-by",
            name_de="Synthetischer Cluster",
            name_ja="合成クラスター",
            focus_areas="test-biotech",
            postal_code="80331",
        ),
        organization_row(slug="synthetic-two", name_en="Synthetic Two", region="berlin"),
    ]

    result = run_import(OrganizationResource(), rows, user=None)

    assert not result.has_validation_errors(), row_errors(result)
    first = Organization.objects.get(slug="synthetic-cluster")
    assert (first.name_en, first.name_de, first.name_ja) == (
        "Synthetic Cluster",
        "Synthetischer Cluster",
        "合成クラスター",
    )
    assert first.region == germany["bavaria"]
    assert list(first.focus_areas.all()) == [focus]
    assert first.postal_code == "80331"
    assert Organization.objects.get(slug="synthetic-two").region == germany["berlin"]


def test_the_dry_run_writes_nothing(germany):
    result = run_import(
        OrganizationResource(), [organization_row(region="DE-BY")], user=None, dry_run=True
    )

    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new"]
    assert not Organization.objects.filter(slug="synthetic-cluster").exists()


def test_a_failing_row_names_its_row_and_column_and_nothing_is_written(germany):
    rows = [
        organization_row(region="DE-BY"),
        organization_row(slug="second", name_en="Second", region="XX-NOWHERE"),
        organization_row(slug="third", name_en="", region="DE-BE", kind="castle"),
    ]

    result = run_import(OrganizationResource(), rows, user=None)

    errors = row_errors(result)
    assert set(errors) == {2, 3}
    assert errors[2]["region"] == ["There is no region with the ISO code or slug “XX-NOWHERE”."]
    assert "name_en" in errors[3]
    assert "kind" in errors[3]
    assert not Organization.objects.filter(slug__in=["synthetic-cluster", "second"]).exists()


def test_row_errors_are_in_the_language_of_the_user(germany):
    with translation.override("de"):
        result = run_import(OrganizationResource(), [organization_row(region="XX")], user=None)

    message = row_errors(result)[1]["region"][0]
    assert message != "There is no region with the ISO code or slug “XX”."
    assert "XX" in message


def test_an_unknown_focus_area_is_an_error_of_its_column(germany):
    result = run_import(
        OrganizationResource(), [organization_row(region="DE-BY", focus_areas="nope")], user=None
    )

    assert row_errors(result)[1]["focus_areas"] == ["There is no focus area with the slug “nope”."]


# --- Duplicates --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["BioTest München", "Biotest Muenchen", "BIOTEST MUNCHEN"])
def test_the_same_name_in_the_same_country_is_a_duplicate(germany, name):
    existing = factories.OrganizationFactory(
        name="BioTest Munchen", slug="biotest-munchen", region=germany["bavaria"]
    )

    result = run_import(
        OrganizationResource(),
        [organization_row(slug="another", name_en=name, region="DE-BE")],
        user=None,
    )

    message = row_errors(result)[1]["name_en"][0]
    assert "biotest-munchen" in message
    assert "Germany" in message
    assert same_name_in_country([name], germany["berlin"]) == existing
    assert not Organization.objects.filter(slug="another").exists()


def test_a_german_name_or_the_legal_name_counts_as_well(germany):
    factories.OrganizationFactory(
        name="Test Cluster Munich",
        name_de="Testcluster München",
        legal_name="Testcluster GmbH",
        region=germany["bavaria"],
    )

    assert same_name_in_country(["Testcluster Muenchen"], germany["country"]) is not None
    assert same_name_in_country(["testcluster gmbh"], germany["berlin"]) is not None
    assert same_name_in_country(["Testcluster"], germany["berlin"]) is None


def test_the_same_name_in_another_country_is_not_a_duplicate(germany):
    japan = factories.RegionFactory(name="Japan", slug="japan", iso_code="JP")
    factories.OrganizationFactory(name="Synthetic Cluster", region=japan)

    result = run_import(OrganizationResource(), [organization_row(region="DE-BY")], user=None)

    assert not result.has_validation_errors(), row_errors(result)


def test_two_rows_of_one_file_with_the_same_name_are_duplicates(germany):
    rows = [
        organization_row(region="DE-BY"),
        organization_row(slug="synthetic-again", name_en="Synthetic Clüster", region="DE-BE"),
    ]

    result = run_import(OrganizationResource(), rows, user=None)

    assert "synthetic-cluster" in row_errors(result)[2]["name_en"][0]
    assert not Organization.objects.filter(slug__startswith="synthetic").exists()


def test_giving_the_slug_of_the_existing_organisation_updates_it(germany):
    existing = factories.OrganizationFactory(
        name="Synthetic Cluster", slug="synthetic-cluster", region=germany["bavaria"]
    )

    result = run_import(
        OrganizationResource(),
        [organization_row(region="DE-BY", locality="Testtown")],
        user=None,
    )

    assert not result.has_validation_errors(), row_errors(result)
    assert [row.import_type for row in result.rows] == ["update"]
    existing.refresh_from_db()
    assert existing.locality == "Testtown"
    assert Organization.objects.filter(name_en="Synthetic Cluster").count() == 1


# --- Rights ----------------------------------------------------------------------------------


def test_a_manager_updates_their_own_organisation(cast):
    biom = cast.records["organizations"]["biom"]
    row = {"slug": biom.slug, "name_en": biom.name_en, "kind": biom.kind, "locality": "Testheim"}

    result = run_import(OrganizationResource(), [row], user=cast.users["anna_biom_manager"])

    assert not result.has_validation_errors(), row_errors(result)
    biom.refresh_from_db()
    assert biom.locality == "Testheim"


def test_a_manager_cannot_update_another_organisation_and_nothing_is_written(cast):
    biom = cast.records["organizations"]["biom"]
    osaka = cast.records["organizations"]["osaka"]
    rows = [
        {"slug": biom.slug, "name_en": biom.name_en, "kind": biom.kind, "locality": "Testheim"},
        {"slug": osaka.slug, "name_en": "Renamed", "kind": osaka.kind},
    ]

    result = run_import(OrganizationResource(), rows, user=cast.users["anna_biom_manager"])

    assert row_errors(result) == {
        2: {
            "slug": [
                "You may not change “Osaka Bio Test”: you can import only for the "
                "organisations you manage."
            ]
        }
    }
    biom.refresh_from_db()
    osaka.refresh_from_db()
    assert biom.locality == ""
    assert osaka.name_en == "Osaka Bio Test"


def test_a_manager_may_add_a_new_organisation_as_with_the_admins_plus(cast):
    region = cast.records["organizations"]["biom"].region
    row = organization_row(region=region.slug)

    result = run_import(OrganizationResource(), [row], user=cast.users["stranger_manager"])

    assert not result.has_validation_errors(), row_errors(result)
    assert Organization.objects.filter(slug="synthetic-cluster").exists()


def test_staff_without_the_add_permission_adds_no_organisation(cast):
    region = cast.records["organizations"]["biom"].region

    result = run_import(
        OrganizationResource(),
        [organization_row(region=region.slug)],
        user=cast.users["lena_biom_no_group"],
    )

    assert row_errors(result) == {1: {"slug": ["You may not add organisations."]}}


# --- People and contact points ---------------------------------------------------------------


def contact_row(organization, **values):
    return {
        "person": "synthetic-person",
        "given_name": "Testa",
        "family_name": "Synthetica",
        "organization": organization.slug,
        "position_en": "Test lead",
        "position_de": "Testleitung",
        "email": "testa@example.org",
        "visibility": "public",
        "is_current": "1",
        **values,
    }


def test_an_administrator_imports_a_person_and_their_contact_point(cast):
    biom = cast.records["organizations"]["biom"]

    result = run_import(
        AffiliationResource(),
        [contact_row(biom, honorific_en="Dr.", native_name="テスタ", stated_on="2024-05-01")],
        user=cast.users["admin_administrator"],
    )

    assert not result.has_validation_errors(), row_errors(result)
    person = Person.objects.get(slug="synthetic-person")
    assert (person.given_name, person.family_name, person.honorific_en, person.native_name) == (
        "Testa",
        "Synthetica",
        "Dr.",
        "テスタ",
    )
    contact = Affiliation.objects.get(person=person, organization=biom)
    assert (contact.position_en, contact.position_de, str(contact.stated_on)) == (
        "Test lead",
        "Testleitung",
        "2024-05-01",
    )


def test_a_person_without_a_family_name_is_an_error_of_that_column(cast):
    biom = cast.records["organizations"]["biom"]

    result = run_import(AffiliationResource(), [contact_row(biom, family_name="")], user=None)

    assert "family_name" in row_errors(result)[1]
    assert not Person.objects.filter(slug="synthetic-person").exists()


def test_a_manager_imports_contact_points_only_at_their_organisations(cast):
    biom = cast.records["organizations"]["biom"]
    osaka = cast.records["organizations"]["osaka"]
    rows = [contact_row(biom), contact_row(osaka, person="synthetic-other")]

    result = run_import(AffiliationResource(), rows, user=cast.users["anna_biom_manager"])

    assert row_errors(result) == {
        2: {
            "organization": [
                "“Osaka Bio Test” is not one of your organisations: you can import contact "
                "points only for the organisations you manage."
            ]
        }
    }
    assert not Person.objects.filter(slug__startswith="synthetic").exists()
    assert not Affiliation.objects.filter(organization=osaka).exists()


def test_a_manager_cannot_pick_a_person_hidden_from_them(cast):
    other = cast.records["organizations"]["other"]
    hidden = cast.records["organizations.person"]  # BioM's, not public

    result = run_import(
        AffiliationResource(),
        [contact_row(other, person=hidden.slug, given_name="Anna", family_name="Signer")],
        user=cast.users["stranger_manager"],
    )

    assert row_errors(result) == {
        1: {"person": [f"There is no person with the slug “{hidden.slug}”."]}
    }


def test_the_region_of_a_row_may_be_the_country_itself(germany):
    result = run_import(OrganizationResource(), [organization_row(region="DE")], user=None)

    assert not result.has_validation_errors(), row_errors(result)
    assert Organization.objects.get(slug="synthetic-cluster").region == Region.objects.get(
        iso_code="DE"
    )
