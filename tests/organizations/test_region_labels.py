"""Regions in plain selects and lists are told apart by where they lie: "Bavaria (Germany)",
"バイエルン州 (ドイツ)" (Region.choice_label) — in the admin's selects (plain and autocomplete),
list filters and list columns, and in the public pages' "which region do you mean?" links;
the parent comes with the rows, not one query per row. Personas: tests/personas.py."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from core.admin.access import label_choices
from organizations.admin import OrganizationRegionListFilter
from organizations.models import Organization, Region
from tests import factories
from tests.personas import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def bavaria(db):
    germany = factories.RegionFactory(
        name="Germany", name_de="Deutschland", name_ja="ドイツ", iso_code="DE", slug="germany"
    )
    return factories.RegionFactory(
        name="Bavaria",
        name_de="Bayern",
        name_ja="バイエルン州",
        iso_code="DE-BY",
        slug="bavaria",
        kind=Region.Kind.SUBDIVISION,
        parent=germany,
    )


@pytest.fixture
def cast(bavaria):
    cast = build_cast()
    biom = cast.records["organizations"]["biom"]
    biom.region = bavaria
    biom.save()
    return cast


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Bavaria (Germany)"), ("de", "Bayern (Deutschland)"), ("ja", "バイエルン州 (ドイツ)")],
)
def test_a_region_is_labelled_with_its_parent_in_every_language(bavaria, language, label):
    with translation.override(language):
        assert bavaria.choice_label() == label


def test_a_country_is_its_name(bavaria):
    assert bavaria.parent.choice_label() == "Germany"


def test_anna_sees_bavaria_with_its_country_in_the_region_autocomplete(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(reverse("admin:organizations_organization_change", args=[biom.pk]))

    # The autocomplete's chosen option says what and where (Region.autocomplete_label).
    assert "Bavaria (State / prefecture), Germany · DE-BY</option>" in response.content.decode()


def test_a_plain_region_select_names_the_parent_without_a_query_per_row(
    bavaria, django_assert_num_queries
):
    field = forms.ModelChoiceField(Region.objects.filter(pk__in=[bavaria.pk, bavaria.parent_id]))
    label_choices(field)

    with django_assert_num_queries(1):  # the regions with their parents
        labels = [label for _value, label in field.choices]

    assert labels[1:] == ["Bavaria (Germany)", "Germany"]  # after the empty choice


def test_the_organisation_list_shows_the_region_with_its_country(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.users["admin_administrator"])
    url = reverse("admin:organizations_organization_changelist")
    client.get(url)  # warm up: sessions, permissions
    for index in range(5):
        factories.OrganizationFactory(region=cast.records["organizations"]["biom"].region)
        factories.OrganizationFactory(name=f"Elsewhere {index}")

    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()

    assert "Bavaria (Germany)" in page


def test_the_region_list_filter_names_the_country(client, cast, bavaria):
    client.force_login(cast.users["admin_administrator"])

    response = client.get(reverse("admin:organizations_organization_changelist"))

    region_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, OrganizationRegionListFilter)
    )
    labels = dict(region_filter.lookup_choices)
    assert labels[bavaria.pk] == "Bavaria (Germany)"
    assert labels[bavaria.parent_id] == "Germany"


def test_the_event_list_shows_the_region_with_its_country(client, cast, bavaria):
    factories.EventFactory(name="Munich test days", region=bavaria)
    client.force_login(cast.users["admin_administrator"])

    page = client.get(reverse("admin:partnerships_event_changelist")).content.decode()

    assert "Bavaria (Germany)" in page


def test_two_regions_of_one_name_are_told_apart_on_the_agreement_list(client, db):
    country = factories.RegionFactory(name="Testland")
    for state in ("North State", "South State"):
        parent = factories.RegionFactory(name=state, kind=Region.Kind.SUBDIVISION, parent=country)
        factories.RegionFactory(name="Springtown", kind=Region.Kind.CITY, parent=parent)

    response = client.get(reverse("partnerships:agreement_list"), {"region": "Springtown"})

    labels = [label for label, _href in response.context["filter_suggestions"]]
    assert sorted(labels) == ["Springtown (North State)", "Springtown (South State)"]
    assert Organization.objects.count() == 0
