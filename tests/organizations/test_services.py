"""Organisation and people services: each refusal is checked with "nothing was written"."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organizations.models import Affiliation, Organization, Person, Visibility
from organizations.services import (
    affiliation_create,
    organization_create,
    person_create,
    translated_values,
)


def test_translated_values_name_one_field_per_language():
    assert translated_values("name", {"en": "Test", "de": "Prüfung", "ja": "テスト"}) == {
        "name_en": "Test",
        "name_de": "Prüfung",
        "name_ja": "テスト",
    }


def test_translated_values_read_a_plain_string_as_english_whatever_the_active_language():
    with translation.override("ja"):
        assert translated_values("name", "Test") == {"name_en": "Test"}


def test_translated_values_refuse_a_language_the_site_does_not_offer():
    with pytest.raises(ValueError, match="fr"):
        translated_values("name", {"en": "Test", "fr": "Essai"})


def test_organization_create_saves_names_in_each_language_and_focus_areas(
    subdivision_factory, focus_area_factory
):
    region = subdivision_factory()
    focus_area = focus_area_factory()

    organization = organization_create(
        name={"en": "Example Cluster", "de": "Beispiel-Cluster", "ja": "テストクラスター"},
        slug="example-cluster",
        kind=Organization.Kind.CLUSTER,
        region=region,
        short_name="ExC",
        focus_areas=[focus_area],
    )

    organization.refresh_from_db()
    assert (organization.name_en, organization.name_de, organization.name_ja) == (
        "Example Cluster",
        "Beispiel-Cluster",
        "テストクラスター",
    )
    assert list(organization.focus_areas.all()) == [focus_area]


def test_organization_create_refuses_a_name_without_english(subdivision_factory):
    region = subdivision_factory()
    before = Organization.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            name={"de": "Nur Deutsch"}, slug="nur-deutsch", kind="cluster", region=region
        )

    assert "name_en" in excinfo.value.message_dict
    assert Organization.objects.count() == before


def test_organization_create_refuses_a_taken_slug(organization_factory):
    existing = organization_factory()
    before = Organization.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            name="Example Copy", slug=existing.slug, kind="cluster", region=existing.region
        )

    assert list(excinfo.value.message_dict) == ["slug"]
    assert Organization.objects.count() == before


def test_person_create_keeps_the_native_name_and_honorific_per_language(db):
    person = person_create(
        given_name="Testgiven",
        family_name="Testfamily",
        slug="testgiven-testfamily",
        honorific={"en": "Prof. Dr.", "de": "Prof. Dr.", "ja": "教授"},
        native_name="テスト 太郎",
        native_name_order=Person.NameOrder.FAMILY_FIRST,
    )

    person.refresh_from_db()
    assert (person.honorific_en, person.honorific_ja, person.native_name) == (
        "Prof. Dr.",
        "教授",
        "テスト 太郎",
    )


def test_person_create_refuses_a_missing_family_name(db):
    with pytest.raises(ValidationError) as excinfo:
        person_create(given_name="Testgiven", family_name="", slug="testgiven")

    assert list(excinfo.value.message_dict) == ["family_name"]
    assert not Person.objects.exists()


def test_affiliation_create_is_hidden_from_the_public_by_default(
    person_factory, organization_factory
):
    affiliation = affiliation_create(
        person=person_factory(),
        organization=organization_factory(),
        position={"en": "Test director", "de": "Testleiter"},
        email="director@example.org",
    )

    assert affiliation.visibility == Visibility.HIDDEN
    assert not Affiliation.objects.publishable().exists()
    assert (affiliation.position_en, affiliation.position_de) == ("Test director", "Testleiter")


def test_affiliation_create_refuses_the_same_position_twice(affiliation_factory):
    existing = affiliation_factory(position="Test director")
    before = Affiliation.objects.count()

    with pytest.raises(ValidationError):
        affiliation_create(
            person=existing.person,
            organization=existing.organization,
            position="Test director",
            visibility=Visibility.PUBLIC,
        )

    assert Affiliation.objects.count() == before
