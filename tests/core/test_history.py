"""The history of every change (core/history.py): recording, diff, restore."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import history
from organizations.models import Organization, Person, Region

pytestmark = pytest.mark.django_db


def test_every_model_of_both_apps_is_tracked():
    from django.apps import apps

    for app_label in ("core", "organizations", "partnerships"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.auto_created or hasattr(model, "pgh_tracked_model"):
                continue
            if model._meta.model_name == "searchword":  # derived vocabulary, filled by a trigger
                continue
            if model._meta.model_name == "reminder":  # itself the record of what was sent
                continue
            if model._meta.model_name == "agreementnotice":  # the record of what was sent
                continue
            if model._meta.model_name == "agreementcomment":  # never edited: itself a record
                continue
            if model._meta.model_name == "contentgeneration":  # a cache key written by triggers
                continue
            if model._meta.model_name == "calendartoken":  # records its own creation and revocation
                continue
            # Counters of page views per record and day: no one edits them, and tracking them
            # would also make every flush change the content generation (core/caching.py
            # watches the tracked tables), emptying the page cache once a minute.
            if model._meta.model_name == "pageviews":
                continue
            assert history.is_tracked(model), model


def test_an_edit_is_recorded_with_every_language_column(organization_factory):
    organization = organization_factory(name="Bio Cluster")
    organization.name_de = "Bio-Cluster"
    organization.name_ja = "バイオクラスター"
    organization.save()

    versions = history.versions(Organization, organization.pk)

    assert [v.label for v in versions] == ["insert", "update"]
    latest = versions[-1]
    assert (latest.event.name_en, latest.event.name_de, latest.event.name_ja) == (
        "Bio Cluster",
        "Bio-Cluster",
        "バイオクラスター",
    )
    assert latest.changed == ["name [de]", "name [ja]"]


def test_bulk_updates_are_recorded_too(organization_factory):
    organization = organization_factory()

    Organization.objects.filter(pk=organization.pk).update(email="bulk@example.org")

    assert history.versions(Organization, organization.pk)[-1].event.email == "bulk@example.org"


def test_a_search_trigger_refreshing_derived_columns_records_nothing(organization_factory):
    organization = organization_factory()
    before = len(history.versions(Organization, organization.pk))

    Region.objects.filter(pk=organization.region_id).update(name_de="Neuer Name")

    assert len(history.versions(Organization, organization.pk)) == before
    organization.refresh_from_db()
    assert "neuer name" in organization.search_document


def test_the_diff_lists_every_field_old_and_new(organization_factory):
    organization = organization_factory(name="Old name")
    organization.name_en = "New name"
    organization.save()
    first, second = (v.event for v in history.versions(Organization, organization.pk))

    rows = {row.label: row for row in history.diff(Organization, first, second)}

    assert rows["name [en]"].old == "Old name"
    assert rows["name [en]"].new == "New name"
    assert rows["name [en]"].changed
    assert not rows["name [de]"].changed
    assert rows["region"].new == str(organization.region)


def test_restoring_an_earlier_version_brings_its_values_back(organization_factory):
    organization = organization_factory(name="First", description="Original")
    organization.name_en = "Second"
    organization.name_de = "Zweiter"
    organization.save()
    first = history.versions(Organization, organization.pk)[0].event

    with translation.override("de"):
        history.history_restore(event=first)

    organization.refresh_from_db()
    assert (organization.name_en, organization.name_de) == ("First", None)
    assert history.versions(Organization, organization.pk)[-1].label == "update"


def test_a_deleted_object_is_listed_and_restored_under_its_old_id(person_factory):
    person = person_factory(given_name="Horst", family_name="Domdey")
    pk = person.pk
    person.delete()

    deleted = history.deleted_objects(Person)
    assert [event.pgh_obj_id for event in deleted] == [pk]

    history.history_restore(event=deleted[0])

    restored = Person.objects.get(pk=pk)
    assert (restored.given_name, restored.family_name) == ("Horst", "Domdey")
    assert history.deleted_objects(Person) == []


def test_a_restore_that_breaks_a_rule_is_refused_and_writes_nothing(person_factory):
    person = person_factory(slug="taken")
    pk = person.pk
    person.delete()
    person_factory(slug="taken")
    event = history.deleted_objects(Person)[0]

    with pytest.raises(ValidationError):
        history.history_restore(event=event)

    assert not Person.objects.filter(pk=pk).exists()


def test_versions_name_the_user_and_url_of_the_request(admin_client, organization_factory):
    organization = organization_factory()

    with history.pghistory.context(user=None, url="/somewhere/"):
        organization.email = "a@example.org"
        organization.save()

    assert history.versions(Organization, organization.pk)[-1].url == "/somewhere/"


def test_labels_of_two_kinds_of_rows_whose_event_ids_meet_stay_apart(
    organization_factory, person_factory
):
    """Each kind of row has its own event table and id sequence: on a fresh database a party's
    and a contact point's event can share an id. A label must never name the other kind's row
    (it named a hidden contact point on the history page of a stranger's agreement)."""
    organization = organization_factory(name="Alpha Labelled Cluster")
    person = person_factory(given_name="Beta", family_name="Labelled")
    organization_event = history.event_model_for(Organization).objects.get(
        pgh_obj_id=organization.pk
    )
    person_event = history.event_model_for(Person).objects.get(pgh_obj_id=person.pk)
    person_event.pk = organization_event.pk  # the ids meet

    labels = history._labels_of([organization_event, person_event])

    assert "Alpha Labelled Cluster" in labels[Organization, organization_event.pk]
    assert "Labelled" in labels[Person, person_event.pk]
    assert "Alpha" not in labels[Person, person_event.pk]
