"""The shared write helpers: each refusal is checked with "nothing was written"."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organizations.models import Organization, Person
from organizations.services import UpsertLog, record_upsert, translated_values


def test_translated_values_name_one_field_per_language():
    texts = {"en": "Test", "de": "Prüfung", "ja": "テスト", "fr": "Essai"}
    assert translated_values("name", texts) == {
        "name_en": "Test",
        "name_de": "Prüfung",
        "name_ja": "テスト",
        "name_fr": "Essai",
    }


def test_translated_values_write_a_language_left_out_as_empty():
    assert translated_values("name", {"en": "Test", "ja": "テスト"}) == {
        "name_en": "Test",
        "name_de": "",
        "name_ja": "テスト",
        "name_fr": "",
    }


def test_translated_values_read_a_plain_string_as_english_whatever_the_active_language():
    with translation.override("ja"):
        assert translated_values("name", "Test") == {
            "name_en": "Test",
            "name_de": "",
            "name_ja": "",
            "name_fr": "",
        }


def test_translated_values_refuse_a_language_the_site_does_not_offer():
    with pytest.raises(ValueError, match="it"):
        translated_values("name", {"en": "Test", "it": "Prova"})


def organization_values(region, **overrides):
    return {
        "kind": Organization.Kind.CLUSTER,
        "region": region,
        **translated_values("name", {"en": "Example Cluster", "de": "Beispiel-Cluster"}),
        **overrides,
    }


def test_record_upsert_creates_a_row_with_its_names_and_focus_areas(
    subdivision_factory, focus_area_factory
):
    region, focus_area = subdivision_factory(), focus_area_factory()

    organization, action = record_upsert(
        Organization,
        lookup={"slug": "example-cluster"},
        values=organization_values(region),
        m2m={"focus_areas": [focus_area]},
    )

    organization.refresh_from_db()
    assert action == "created"
    assert (organization.name_en, organization.name_de) == ("Example Cluster", "Beispiel-Cluster")
    assert list(organization.focus_areas.all()) == [focus_area]


def test_record_upsert_twice_with_the_same_data_changes_nothing(subdivision_factory):
    region = subdivision_factory()
    values = organization_values(region)
    first, _ = record_upsert(Organization, lookup={"slug": "example-cluster"}, values=values)

    again, action = record_upsert(Organization, lookup={"slug": "example-cluster"}, values=values)

    assert action == "unchanged"
    assert again.pk == first.pk
    assert Organization.objects.count() == 1


def test_record_upsert_updates_a_changed_row_in_place(subdivision_factory):
    region = subdivision_factory()
    record_upsert(
        Organization, lookup={"slug": "example-cluster"}, values=organization_values(region)
    )

    _organization, action = record_upsert(
        Organization,
        lookup={"slug": "example-cluster"},
        values=organization_values(region, short_name="ExC"),
    )

    assert action == "updated"
    assert Organization.objects.get().short_name == "ExC"


def test_record_upsert_refuses_a_name_in_no_language_and_writes_nothing(subdivision_factory):
    region = subdivision_factory()

    with pytest.raises(ValidationError) as excinfo:
        record_upsert(
            Organization,
            lookup={"slug": "example-cluster"},
            values=organization_values(region, **translated_values("name", {})),
        )

    assert "name_en" in excinfo.value.message_dict
    assert not Organization.objects.exists()


def test_record_upsert_writes_a_name_in_german_only(subdivision_factory):
    region = subdivision_factory()

    record_upsert(
        Organization,
        lookup={"slug": "example-cluster"},
        values=organization_values(region, **translated_values("name", {"de": "Nur Deutsch"})),
    )

    assert Organization.objects.get().name_de == "Nur Deutsch"


def test_record_upsert_refuses_an_invalid_change_and_keeps_the_row(db):
    record_upsert(
        Person,
        lookup={"slug": "test-person"},
        values={"given_name": "Testgiven", "family_name": "Testfamily"},
    )

    with pytest.raises(ValidationError):
        record_upsert(Person, lookup={"slug": "test-person"}, values={"family_name": ""})

    assert Person.objects.get().family_name == "Testfamily"


def test_upsert_log_counts_and_logs_what_it_did(db):
    lines = []
    upsert = UpsertLog(lines.append)
    values = {"given_name": "Testgiven", "family_name": "Testfamily"}

    upsert(Person, {"slug": "test-person"}, values)
    upsert(Person, {"slug": "test-person"}, values)

    assert upsert.actions == {("person", "created"): 1, ("person", "unchanged"): 1}
    assert lines == ["  created person: Testgiven Testfamily"]
