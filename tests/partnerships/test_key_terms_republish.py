"""A published agreement whose key terms change goes back to review until every party approves the
new version; other changes keep it published. Through the services and through the admin, as the
personas of tests/personas.py: Anna manages BioM, Kenji manages Osaka, both parties of the
agreement; the stranger manages neither; the administrator manages none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import Agreement
from partnerships.services import (
    agreement_approve,
    agreement_publish,
    agreement_refresh_terms_version,
    agreement_submit_for_review,
)
from tests.admin_post import form_post_data
from tests.personas import build_cast

pytestmark = pytest.mark.django_db

PUBLISHED = Agreement.Publication.PUBLISHED
IN_REVIEW = Agreement.Publication.IN_REVIEW
WARNING = "If you change its key terms"


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def published(cast):
    """The BioM–Osaka agreement, approved by both parties and published."""
    users = cast.users
    organizations = cast.records["organizations"]
    agreement = cast.records["partnerships.agreement"]
    agreement_refresh_terms_version(agreement=agreement)
    agreement_submit_for_review(agreement=agreement, user=users["anna_biom_manager"])
    agreement_approve(
        agreement=agreement, organization=organizations["biom"], user=users["anna_biom_manager"]
    )
    agreement_approve(
        agreement=agreement, organization=organizations["osaka"], user=users["kenji_osaka_manager"]
    )
    agreement_publish(agreement=agreement, user=users["kenji_osaka_manager"])
    assert reload(agreement).publication == PUBLISHED
    return agreement


def reload(agreement: Agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


def change_url(agreement: Agreement) -> str:
    return reverse("admin:partnerships_agreement_change", args=[agreement.pk])


# --- The service ------------------------------------------------------------------------------


def test_a_changed_title_takes_the_published_agreement_back_to_review(published, cast):
    organizations = cast.records["organizations"]
    Agreement.objects.filter(pk=published.pk).update(title_en="BioM–Osaka, amended")

    assert agreement_refresh_terms_version(agreement=reload(published)) == 2

    agreement = reload(published)
    assert agreement.publication == IN_REVIEW
    assert not Agreement.objects.published().filter(pk=published.pk).exists()
    for party in ("biom", "osaka"):
        assert list(Agreement.objects.awaiting_approval([organizations[party].pk])) == [agreement]


def test_a_changed_summary_keeps_it_published(published):
    Agreement.objects.filter(pk=published.pk).update(summary_en="A new summary.")

    assert agreement_refresh_terms_version(agreement=reload(published)) == 1
    assert reload(published).publication == PUBLISHED


def test_a_new_scope_takes_it_back_to_review(published, cooperation_area_factory):
    cooperation_area_factory(agreement=published, description="Joint workshops")

    agreement_refresh_terms_version(agreement=reload(published))

    assert reload(published).publication == IN_REVIEW


def test_once_every_party_approved_the_new_version_it_is_published_again(published, cast):
    users = cast.users
    organizations = cast.records["organizations"]
    Agreement.objects.filter(pk=published.pk).update(title_en="BioM–Osaka, amended")
    agreement_refresh_terms_version(agreement=reload(published))

    for party, user in (("biom", "anna_biom_manager"), ("osaka", "kenji_osaka_manager")):
        agreement_approve(
            agreement=reload(published), organization=organizations[party], user=users[user]
        )
    agreement_publish(agreement=reload(published), user=users["anna_biom_manager"])

    assert reload(published).publication == PUBLISHED
    assert reload(published).title_en == "BioM–Osaka, amended"


# --- The admin ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anna_biom_manager", "kenji_osaka_manager"])
def test_the_change_page_warns_a_party_manager_before_saving(client, cast, published, persona):
    client.force_login(cast.users[persona])

    page = client.get(change_url(published)).content.decode()

    assert WARNING in page


def test_the_stranger_who_may_only_read_it_is_not_warned(client, cast, published):
    client.force_login(cast.users["stranger_manager"])

    response = client.get(change_url(published))

    assert response.status_code == 200
    assert WARNING not in response.content.decode()


def test_no_warning_while_it_is_not_published(client, cast):
    client.force_login(cast.users["anna_biom_manager"])

    page = client.get(change_url(cast.records["partnerships.agreement"])).content.decode()

    assert WARNING not in page


def test_anna_changes_the_title_and_kenji_is_asked_to_approve_again(client, cast, published):
    client.force_login(cast.users["anna_biom_manager"])
    data = form_post_data(client.get(change_url(published)))
    data["title_en"] = "BioM–Osaka cooperation, amended"

    response = client.post(change_url(published), data, follow=True)

    assert "the agreement is no longer public" in response.content.decode()
    assert reload(published).publication == IN_REVIEW
    assert client.logout() is None
    assert client.get(published.get_absolute_url()).status_code == 404
    client.force_login(cast.users["kenji_osaka_manager"])
    changelist = client.get(reverse("admin:partnerships_agreement_changelist"), {"awaiting": "me"})
    assert list(changelist.context["cl"].result_list) == [reload(published)]
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "BioM–Osaka cooperation, amended" in dashboard


def test_anna_changes_the_summary_and_it_stays_published(client, cast, published):
    client.force_login(cast.users["anna_biom_manager"])
    data = form_post_data(client.get(change_url(published)))
    data["summary_en"] = "A summary written later."

    response = client.post(change_url(published), data, follow=True)

    assert "no longer public" not in response.content.decode()
    agreement = reload(published)
    assert agreement.publication == PUBLISHED
    assert agreement.summary_en == "A summary written later."


def test_a_scope_changed_on_its_own_page_takes_it_back_to_review(client, cast, published):
    area = cast.records["partnerships.cooperationarea"]
    url = reverse("admin:partnerships_cooperationarea_change", args=[area.pk])
    client.force_login(cast.users["kenji_osaka_manager"])
    data = form_post_data(client.get(url))
    data["description_en"] = "A wider scope"

    response = client.post(url, data, follow=True)

    assert "the agreement is no longer public" in response.content.decode()
    assert reload(published).publication == IN_REVIEW


def test_the_administrators_change_of_a_key_term_also_needs_the_parties(client, cast, published):
    client.force_login(cast.users["admin_administrator"])
    data = form_post_data(client.get(change_url(published)))
    data["signed_on"] = "2015-11-03"

    client.post(change_url(published), data)

    assert reload(published).publication == IN_REVIEW
