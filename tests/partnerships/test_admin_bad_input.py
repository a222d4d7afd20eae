"""Bad input on the agreement page is a form error, never a 500 (the admin fuzz found 47:
non-numeric inline ids, a NUL in ``authentic_languages``, a huge ``term_length``, an inflated
formset — the last in tests/core/test_admin_limits.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import Agreement
from tests.admin_post import form_post_data


@pytest.fixture
def agreement_page(admin_client, signature_factory, agreement_party_factory, attendance_factory):
    signature = signature_factory()
    agreement = signature.signing_event.agreement
    agreement_party_factory(agreement=agreement)
    attendance_factory(signing_event=signature.signing_event)
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    return agreement, url, form_post_data(response)


def row_id_fields(data: dict) -> list[str]:
    return sorted(key for key in data if key.endswith("-id") and data[key])


def test_the_page_has_saved_rows_with_ids(agreement_page):
    _, _, data = agreement_page
    assert len(row_id_fields(data)) >= 4  # parties, a signing, its signature and attendance


@pytest.mark.parametrize("value", ["abc", "1e5", "-1", "99999999999999999999999", "\x00", " "])
def test_a_forged_row_id_is_a_form_error(admin_client, agreement_page, value):
    agreement, url, data = agreement_page
    for key in row_id_fields(data):
        response = admin_client.post(url, {**data, key: value})
        assert response.status_code == 200, (key, value)
        assert Agreement.objects.get(pk=agreement.pk).title_en == agreement.title_en


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("authentic_languages", "\x00"),
        ("authentic_languages", "xx"),
        ("term_length", "99999999999999999999"),
        ("term_length", "-5"),
        ("term_length", "\x00"),
        ("title_en", "a\x00b"),
    ],
)
def test_a_forged_field_value_is_a_form_error(admin_client, agreement_page, field, value):
    _, url, data = agreement_page
    response = admin_client.post(url, {**data, field: value})
    assert response.status_code == 200, (field, value)
