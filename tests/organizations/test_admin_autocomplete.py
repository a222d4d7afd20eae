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
