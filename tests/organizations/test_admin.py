"""The admin of regions, focus areas, organisations, people and affiliations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Affiliation, Organization, Region, Visibility

ORGANIZATION_MODELS = ["region", "focusarea", "organization", "person", "affiliation"]


def result_list(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def one_of_each(affiliation_factory, focus_area_factory):
    affiliation = affiliation_factory()
    affiliation.organization.focus_areas.add(focus_area_factory())
    return affiliation


@pytest.mark.parametrize("model", ORGANIZATION_MODELS)
def test_changelist_of_every_organizations_model_renders_its_rows(admin_client, one_of_each, model):
    response = admin_client.get(reverse(f"admin:organizations_{model}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", ORGANIZATION_MODELS)
def test_add_page_of_every_organizations_model_renders(admin_client, model):
    response = admin_client.get(reverse(f"admin:organizations_{model}_add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ORGANIZATION_MODELS)
def test_change_page_of_every_organizations_model_renders(admin_client, one_of_each, model):
    obj = {
        "region": one_of_each.organization.region,
        "focusarea": one_of_each.organization.focus_areas.get(),
        "organization": one_of_each.organization,
        "person": one_of_each.person,
        "affiliation": one_of_each,
    }[model]

    response = admin_client.get(reverse(f"admin:organizations_{model}_change", args=[obj.pk]))

    assert response.status_code == 200


def test_translated_models_use_language_tabs_from_the_installed_package(admin_client):
    content = admin_client.get(reverse("admin:organizations_organization_add")).content.decode()

    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in content
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in content
    assert 'name="name_ja"' in content
    assert "googleapis" not in content


# --- Region ---------------------------------------------------------------------------------


@pytest.fixture
def bavaria(region_factory):
    germany = region_factory(
        name="Germany", name_de="Deutschland", name_ja="ドイツ", iso_code="DE", slug="germany"
    )
    return region_factory(
        name="Bavaria",
        name_de="Bayern",
        name_ja="バイエルン州",
        iso_code="DE-BY",
        slug="bavaria",
        kind=Region.Kind.SUBDIVISION,
        parent=germany,
    )


@pytest.mark.parametrize("term", ["Bayern", "バイエルン", "Bavaria", "DE-BY"])
def test_region_search_finds_a_name_in_any_language_and_the_iso_code(admin_client, bavaria, term):
    response = admin_client.get(reverse("admin:organizations_region_changelist"), {"q": term})

    assert result_list(response) == [bavaria]


def test_region_autocomplete_finds_a_region_by_its_german_name(admin_client, bavaria):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "organizations",
            "model_name": "organization",
            "field_name": "region",
            "term": "Bayern",
        },
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(bavaria.pk)]


def test_region_kind_filter(admin_client, bavaria):
    response = admin_client.get(
        reverse("admin:organizations_region_changelist"), {"kind__exact": "subdivision"}
    )

    assert result_list(response) == [bavaria]


def test_region_country_filter_lists_what_lies_inside_the_country(
    admin_client, bavaria, region_factory
):
    region_factory(name="Testland", slug="testland-elsewhere")

    response = admin_client.get(
        reverse("admin:organizations_region_changelist"), {"country": str(bavaria.parent_id)}
    )

    assert sorted(r.name for r in result_list(response)) == ["Bavaria", "Germany"]


def test_region_page_edits_parent_and_members_by_autocomplete(admin_client, bavaria):
    response = admin_client.get(reverse("admin:organizations_region_change", args=[bavaria.pk]))

    content = response.content.decode()
    assert 'name="parent"' in content
    assert 'data-model-name="region"' in content
    assert content.count("admin-autocomplete") >= 2  # parent and members


def test_macro_region_members_are_saved_from_the_admin(admin_client, bavaria):
    response = admin_client.post(
        reverse("admin:organizations_region_add"),
        {
            "name_en": "Example Macro-region",
            "name_de": "Beispiel-Großregion",
            "name_ja": "",
            "slug": "example-macro-region",
            "kind": Region.Kind.MACRO_REGION,
            "parent": "",
            "aliases": "",
            "iso_code": "",
            "iso_type": "",
            "members": [str(bavaria.pk)],
            "latitude": "",
            "longitude": "",
        },
    )

    assert response.status_code == 302
    macro = Region.objects.get(slug="example-macro-region")
    assert list(macro.members.all()) == [bavaria]


# --- Organisation ---------------------------------------------------------------------------


def test_organization_region_filter_includes_subregions(
    admin_client, bavaria, organization_factory
):
    munich_org = organization_factory(region=bavaria)
    organization_factory()

    response = admin_client.get(
        reverse("admin:organizations_organization_changelist"),
        {"region": str(bavaria.parent_id)},
    )

    assert result_list(response) == [munich_org]


def test_organization_kind_filter(admin_client, organization_factory):
    foundation = organization_factory(kind=Organization.Kind.FOUNDATION)
    organization_factory(kind=Organization.Kind.CLUSTER)

    response = admin_client.get(
        reverse("admin:organizations_organization_changelist"), {"kind__exact": "foundation"}
    )

    assert result_list(response) == [foundation]


def test_organization_focus_area_filter(admin_client, organization_factory, focus_area_factory):
    focus = focus_area_factory()
    wanted = organization_factory()
    wanted.focus_areas.add(focus)
    organization_factory()

    response = admin_client.get(
        reverse("admin:organizations_organization_changelist"),
        {"focus_areas__id__exact": str(focus.pk)},
    )

    assert result_list(response) == [wanted]


@pytest.mark.parametrize("term", ["EXCL", "Beispiel-Cluster", "Example Cluster GmbH"])
def test_organization_search_by_short_legal_or_german_name(
    admin_client, organization_factory, term
):
    wanted = organization_factory(
        name="Example Cluster Testland",
        name_de="Beispiel-Cluster Testland",
        short_name="EXCL",
        legal_name="Example Cluster GmbH",
    )
    organization_factory(name="Unrelated Foundation")

    response = admin_client.get(reverse("admin:organizations_organization_changelist"), {"q": term})

    assert result_list(response) == [wanted]


def test_organization_page_shows_affiliations_inline(admin_client, affiliation_factory):
    affiliation = affiliation_factory(position="Test managing director")

    response = admin_client.get(
        reverse("admin:organizations_organization_change", args=[affiliation.organization_id])
    )

    content = response.content.decode()
    assert 'name="affiliations-TOTAL_FORMS"' in content
    assert "Test managing director" in content


def test_organization_page_lists_child_organisations_read_only(admin_client, organization_factory):
    parent = organization_factory(name="Example Foundation")
    child = organization_factory(name="Example Bio Headquarters", parent=parent)

    response = admin_client.get(
        reverse("admin:organizations_organization_change", args=[parent.pk])
    )

    content = response.content.decode()
    assert "Example Bio Headquarters" in content
    assert reverse("admin:organizations_organization_change", args=[child.pk]) in content
    assert 'name="children-0-name_en"' not in content  # shown, not editable


def test_organization_is_created_with_its_people(admin_client, region_factory, person_factory):
    region = region_factory()
    person = person_factory()

    response = admin_client.post(
        reverse("admin:organizations_organization_add"),
        {
            "name_en": "Example Cluster Testland",
            "name_de": "Beispiel-Cluster Testland",
            "name_ja": "",
            "short_name": "EXCL",
            "legal_name": "",
            "slug": "example-cluster-testland",
            "kind": Organization.Kind.CLUSTER,
            "parent": "",
            "region": str(region.pk),
            "street_address": "",
            "postal_code": "",
            "locality": "",
            "website": "",
            "email": "",
            "phone": "",
            "description_en": "",
            "description_de": "",
            "description_ja": "",
            "affiliations-TOTAL_FORMS": "1",
            "affiliations-INITIAL_FORMS": "0",
            "affiliations-MIN_NUM_FORMS": "0",
            "affiliations-MAX_NUM_FORMS": "1000",
            "affiliations-0-person": str(person.pk),
            "affiliations-0-position_en": "CEO",
            "affiliations-0-position_de": "Geschäftsführer",
            "affiliations-0-position_ja": "",
            "affiliations-0-email": "ceo@example.org",
            "affiliations-0-phone": "",
            "affiliations-0-visibility": Visibility.PUBLIC,
            "affiliations-0-is_current": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
            "children-MIN_NUM_FORMS": "0",
            "children-MAX_NUM_FORMS": "0",
            "cluster_managers-TOTAL_FORMS": "0",
            "cluster_managers-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    affiliation = Affiliation.objects.get()
    assert affiliation.organization.slug == "example-cluster-testland"
    assert affiliation.person == person
    assert affiliation.position_de == "Geschäftsführer"


def test_organization_changelist_query_count_does_not_grow_with_rows(
    admin_client, organization_factory, django_assert_max_num_queries
):
    organization_factory.create_batch(30)
    url = reverse("admin:organizations_organization_changelist")
    admin_client.get(url)

    # 1 session, 2 user, 3 the user's second-factor devices, 4 regions for the region filter,
    # 5 focus areas for their filter, 6-7 counts (filtered and total), 8 the page with regions
    # and parents (joined), 9-11 the session's renewal (one UPDATE in a savepoint).
    with django_assert_max_num_queries(11):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 30


# --- Person and affiliation -----------------------------------------------------------------


def test_person_page_shows_affiliations_inline(admin_client, affiliation_factory):
    affiliation = affiliation_factory()

    response = admin_client.get(
        reverse("admin:organizations_person_change", args=[affiliation.person_id])
    )

    assert 'name="affiliations-TOTAL_FORMS"' in response.content.decode()
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in formset.initial_forms] == [affiliation]
    assert str(affiliation.organization) in response.content.decode()


def test_a_new_person_starts_with_one_empty_position_row(admin_client):
    response = admin_client.get(reverse("admin:organizations_person_add"))

    formset = response.context["inline_admin_formsets"][0].formset
    assert (formset.model, len(formset.forms)) == (Affiliation, 1)


def test_a_new_persons_untouched_position_row_is_not_saved(admin_client):
    from tests.admin_post import form_post_data

    url = reverse("admin:organizations_person_add")
    data = form_post_data(admin_client.get(url))
    data.update(given_name="Marie", family_name="Exemple", slug="marie-exemple")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert not Affiliation.objects.filter(person__slug="marie-exemple").exists()


def test_person_search_finds_the_native_name(admin_client, person_factory):
    wanted = person_factory(native_name="試験太郎")
    person_factory()

    response = admin_client.get(reverse("admin:organizations_person_changelist"), {"q": "試験"})

    assert result_list(response) == [wanted]


def test_person_filter_by_organisation(admin_client, affiliation_factory):
    affiliation = affiliation_factory()
    affiliation_factory()  # someone at another organisation

    response = admin_client.get(
        reverse("admin:organizations_person_changelist"),
        {"affiliations__organization__id__exact": str(affiliation.organization_id)},
    )

    assert result_list(response) == [affiliation.person]


def test_person_changelist_lists_organisations_without_a_query_per_row(
    admin_client, affiliation_factory, django_assert_max_num_queries
):
    affiliation_factory.create_batch(20)
    url = reverse("admin:organizations_person_changelist")
    admin_client.get(url)

    # 1 session, 2 user, 3 the user's second-factor devices, 4 organisations for the filter,
    # 5-6 counts, 7 the page of people, 8-9 their affiliations and organisations (prefetch),
    # 10-12 the session's renewal (one UPDATE in a savepoint).
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)

    assert "Example Cluster" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"visibility__exact": "hidden"}, "hidden"),
        ({"is_current__exact": "0"}, "former"),
        ({"organization__kind__exact": "foundation"}, "foundation"),
    ],
)
def test_affiliation_filters(
    admin_client, affiliation_factory, organization_factory, params, expected
):
    rows = {
        "hidden": affiliation_factory(visibility=Visibility.HIDDEN),
        "former": affiliation_factory(is_current=False),
        "foundation": affiliation_factory(
            organization=organization_factory(kind=Organization.Kind.FOUNDATION)
        ),
    }

    response = admin_client.get(reverse("admin:organizations_affiliation_changelist"), params)

    assert result_list(response) == [rows[expected]]


def test_affiliation_search_by_person_and_position(admin_client, affiliation_factory):
    wanted = affiliation_factory(position="Test Head of Partnering")
    affiliation_factory()

    response = admin_client.get(
        reverse("admin:organizations_affiliation_changelist"), {"q": "Partnering"}
    )

    assert result_list(response) == [wanted]


def test_focus_area_search_in_german(admin_client, focus_area_factory):
    wanted = focus_area_factory(name="Test neuroscience", name_de="Test-Neurowissenschaften")
    focus_area_factory()

    response = admin_client.get(
        reverse("admin:organizations_focusarea_changelist"), {"q": "Neurowissenschaften"}
    )

    assert result_list(response) == [wanted]


def test_the_focus_area_filter_lists_the_areas_in_use_from_a_cached_summary(
    admin_client, organization_factory, focus_area_factory, settings
):
    """Not through every organisation's focus areas on each request (issue 24)."""
    settings.PORTAL_SUMMARY_CACHE = True
    used, unused = focus_area_factory(), focus_area_factory()
    organization_factory().focus_areas.add(used)
    url = reverse("admin:organizations_organization_changelist")
    admin_client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)

    spec = next(f for f in response.context["cl"].filter_specs if f.title == "focus areas")
    assert [label for _pk, label in spec.lookup_choices] == [str(used)]
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("organizations_organization_focus_areas" in statement for statement in sql)
    assert str(unused) not in [label for _pk, label in spec.lookup_choices]
