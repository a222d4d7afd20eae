"""A bad key in an admin autocomplete field is a form error, not a 500 (found by fuzzing)."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("bad", ["1.6577272642992717e-126", "abc", "\x00<", str(2**64)])
def test_an_autocomplete_field_with_a_value_that_is_no_key_shows_a_form_error(admin_client, bad):
    response = admin_client.post(
        reverse("admin:organizations_affiliation_add"), {"person": bad, "organization": bad}
    )

    assert response.status_code == 200
    assert "errornote" in response.content.decode()


@pytest.fixture
def lyon(region_factory, subdivision_factory):
    france = region_factory(name="France", slug="france", iso_code="FR")
    auvergne = subdivision_factory(
        name="Auvergne-Rhône-Alpes", slug="auvergne", iso_code="FR-ARA", parent=france
    )
    return subdivision_factory(
        name_en="Métropole de Lyon",
        name_ja="リヨン・メトロポール",
        slug="lyon",
        iso_code="FR-69M",
        iso_type="Metropolitan collectivity with special status",
        parent=auvergne,
    )


def region_autocomplete(admin_client, term: str) -> list[str]:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "organizations",
            "model_name": "organization",
            "field_name": "region",
        },
    )
    return [row["text"] for row in response.json()["results"]]


LYON_LABEL = (
    "Métropole de Lyon (Metropolitan collectivity with special status), "
    "Auvergne-Rhône-Alpes, France · FR-69M"
)


@pytest.mark.parametrize("term", ["Lyon", "metropole de lyon", "リヨン", "FR-69M"])
def test_region_choices_say_what_and_where_a_region_is_found_by_any_name_or_code(
    admin_client, lyon, term
):
    assert region_autocomplete(admin_client, term) == [LYON_LABEL]


def test_chosen_region_is_shown_with_the_same_label(admin_client, lyon, organization_factory):
    organization = organization_factory(region=lyon)

    content = admin_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()

    assert f'<option value="{lyon.pk}" selected>{LYON_LABEL}</option>' in content
