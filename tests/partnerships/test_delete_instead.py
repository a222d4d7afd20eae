"""The delete page of a signed agreement leads with what to do instead: withdraw it (a button),
Django's list of what blocks the deletion folded below."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(signature_factory, agreement_party_factory):
    signature = signature_factory()
    agreement = signature.signing_event.agreement
    agreement_party_factory(agreement=agreement)
    return agreement


def delete_page(client, agreement) -> str:
    return client.get(
        reverse("admin:partnerships_agreement_delete", args=[agreement.pk])
    ).content.decode()


def test_a_published_signed_agreement_offers_withdraw_before_the_list_of_objects(
    admin_client, signed
):
    page = delete_page(admin_client, signed)

    withdraw = reverse("admin:partnerships_agreement_publication", args=[signed.pk, "withdraw"])
    assert f'action="{withdraw}"' in page
    assert page.index('id="delete-instead"') < page.index("Why it cannot be deleted")


def test_withdrawing_from_the_delete_page_takes_it_off_the_site(admin_client, signed):
    admin_client.post(
        reverse("admin:partnerships_agreement_publication", args=[signed.pk, "withdraw"])
    )

    assert Agreement.objects.get(pk=signed.pk).publication == Agreement.Publication.WITHDRAWN


def test_an_unpublished_signed_agreement_needs_no_withdrawal(admin_client, signed):
    Agreement.objects.filter(pk=signed.pk).update(publication=Agreement.Publication.DRAFT)

    page = delete_page(admin_client, signed)

    assert "nothing needs to be withdrawn" in page
    assert "/publication/withdraw/" not in page
