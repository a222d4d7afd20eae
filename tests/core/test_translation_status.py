"""Translation status per record in the admin (core/admin/translations.py): the column, and the
filter "missing in Japanese" on the organisation and agreement lists."""

import pytest
from django.urls import reverse

from core.admin.translations import missing_languages
from organizations.models import Organization


def test_a_record_misses_the_languages_its_texts_lack(organization_factory):
    organization = organization_factory(name_en="Cluster", name_de="Cluster", name_ja="")
    assert missing_languages(organization, ("name",)) == ["ja", "fr"]


def test_a_description_missing_in_one_language_counts(organization_factory):
    organization = organization_factory(
        name_en="C", name_de="C", name_ja="C", name_fr="C", description_en="Only English."
    )
    assert missing_languages(organization, ("name", "description")) == ["de", "ja", "fr"]


def test_a_record_with_no_text_misses_nothing():
    assert missing_languages(Organization(), ("description",)) == []


@pytest.fixture
def two_organizations(organization_factory):
    complete = organization_factory(
        name_en="Complete Cluster", name_de="Vollständig", name_ja="完全", name_fr="Complet"
    )
    english_only = organization_factory(name_en="English Only Cluster")
    return complete, english_only


def test_the_filter_lists_the_organisations_missing_in_japanese(admin_client, two_organizations):
    url = reverse("admin:organizations_organization_changelist")
    page = admin_client.get(url, {"missing": "ja"}).content.decode()
    assert "English Only Cluster" in page
    assert "Complete Cluster" not in page


def test_the_filter_is_offered_in_every_language(admin_client, two_organizations):
    page = admin_client.get(reverse("admin:organizations_organization_changelist")).content
    text = page.decode()
    for label in ("missing in Japanese", "missing in German", "missing in French"):
        assert label in text


def test_the_column_strikes_out_the_missing_languages(admin_client, two_organizations):
    page = admin_client.get(reverse("admin:organizations_organization_changelist")).content
    assert b'<del title="missing">ja</del>' in page


def test_the_agreement_list_has_the_filter_too(admin_client, agreement_factory):
    agreement_factory(title_en="English title only", title_ja="")
    agreement_factory(title_en="Both", title_ja="両方", title_de="Beide", title_fr="Les deux")
    page = admin_client.get(
        reverse("admin:partnerships_agreement_changelist"), {"missing": "ja"}
    ).content.decode()
    assert "English title only" in page
    assert ">Both<" not in page


# The "Needs translation" page (PortalAdminSite.translation_queue)

QUEUE = "/admin/translations/"


def test_the_queue_counts_per_language_and_links_to_the_filtered_list(
    admin_client, two_organizations
):
    page = admin_client.get(QUEUE).content.decode()
    changelist = reverse("admin:organizations_organization_changelist")
    assert f'<a href="{changelist}?missing=ja">1</a>' in page
    assert "Needs translation" in page


def test_the_queue_runs_a_fixed_number_of_queries(
    admin_client, organization_factory, django_assert_max_num_queries
):
    organization_factory.create_batch(5)
    # session, user, the user's second-factor device, one query per model (organisations,
    # agreements: a count per language each), the session saved, and the savepoints around it
    with django_assert_max_num_queries(9):
        assert admin_client.get(QUEUE).status_code == 200


def test_the_queue_is_for_staff_only(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
