"""Bounds on one admin POST (core/admin/limits.py): rows per formset and fields per request.

Four forged posts with ``parties-TOTAL_FORMS=2000`` once held every worker until gunicorn killed
it. Now every formset of every admin page stops at ``PORTAL_ADMIN_MAX_INLINE_ROWS`` rows (a form
error, the page shown again with what was typed, nothing saved), and a request with more fields
than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` is a 400 before any form is built.
"""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Agreement
from tests.admin_post import form_post_data


def every_inline(model_admin, parent_model):
    """(parent model, inline instance) of an admin page, nested inlines included."""
    for inline_class in getattr(model_admin, "inlines", ()):
        inline = inline_class(parent_model, admin.site)
        yield inline
        yield from every_inline(inline, inline.model)


def registered_inlines():
    return [
        inline
        for model, model_admin in admin.site._registry.items()
        for inline in every_inline(model_admin, model)
    ]


def test_the_portal_has_inlines_to_bound():
    names = {type(inline).__name__ for inline in registered_inlines()}
    assert {"PartyInline", "SignatureInline", "ClusterManagerInline"} <= names


@pytest.mark.parametrize("inline", registered_inlines(), ids=lambda i: type(i).__name__)
def test_every_formset_of_every_admin_page_is_bounded(inline, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    formset = inline.get_formset(request, None)
    assert 0 <= formset.max_num <= settings.PORTAL_ADMIN_MAX_INLINE_ROWS
    assert formset.validate_max is (formset.max_num == settings.PORTAL_ADMIN_MAX_INLINE_ROWS)
    assert formset.absolute_max == settings.PORTAL_ADMIN_MAX_INLINE_ROWS


@pytest.fixture
def agreement_page(
    admin_client, signature_factory, attendance_factory, statement_factory, agreement_party_factory
):
    """The change page of a valid agreement with rows in the parties and signing formsets."""
    signature = signature_factory()
    agreement = signature.signing_event.agreement
    agreement_party_factory(agreement=agreement)  # a concluded agreement has two parties
    attendance_factory(signing_event=signature.signing_event)
    statement_factory(agreement=agreement)
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    return agreement, url, form_post_data(response)


def formset_prefixes(data: dict) -> list[str]:
    return sorted(key.removesuffix("-TOTAL_FORMS") for key in data if key.endswith("-TOTAL_FORMS"))


def page_formsets(response) -> dict:
    """Every formset of a rendered admin page by prefix, nested ones included."""
    found = {}

    def add(formset) -> None:
        found[formset.prefix] = formset
        for form in formset.forms:
            for nested in getattr(form, "nested_formsets", None) or []:
                add(nested)

    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset)
    return found


def test_agreement_page_has_nested_formsets(agreement_page):
    _, _, data = agreement_page
    prefixes = formset_prefixes(data)
    assert "parties" in prefixes
    assert any(prefix.count("-") >= 2 for prefix in prefixes), prefixes  # a signing's signatures


def test_forged_total_forms_in_every_formset_is_a_form_error_nothing_saved_nothing_lost(
    admin_client, agreement_page
):
    agreement, url, data = agreement_page
    for prefix in formset_prefixes(data):
        forged = {**data, f"{prefix}-TOTAL_FORMS": "2000", "title_en": "Typed, not yet saved"}
        started = time.monotonic()
        response = admin_client.post(url, forged)
        elapsed = time.monotonic() - started
        assert response.status_code == 200, prefix  # the page again, not a 500 nor a redirect
        errors = page_formsets(response)[prefix].non_form_errors()
        assert any("Please submit at most" in error for error in errors), (prefix, errors)
        assert "Typed, not yet saved" in response.content.decode()  # what was typed is kept
        assert elapsed < 5, (prefix, elapsed)
        built = sum(len(formset.forms) for formset in page_formsets(response).values())
        assert built <= 10  # the rows posted, not 2,000 (nor the 100 of the bound)
        agreement.refresh_from_db()
        assert agreement.title_en != "Typed, not yet saved"


def test_one_row_more_than_the_bound_is_a_form_error(admin_client, agreement_page):
    _, url, data = agreement_page
    limit = settings.PORTAL_ADMIN_MAX_INLINE_ROWS
    response = admin_client.post(url, {**data, "parties-TOTAL_FORMS": str(limit + 1)})
    assert response.status_code == 200
    assert f"Please submit at most {limit} forms." in response.content.decode()


def test_inflated_count_of_rows_within_the_bound_builds_only_the_rows_posted(
    admin_client, agreement_page
):
    agreement, url, data = agreement_page
    limit = settings.PORTAL_ADMIN_MAX_INLINE_ROWS
    response = admin_client.post(url, {**data, "signing_events-TOTAL_FORMS": str(limit)})
    assert response.status_code == 302, [
        (prefix, formset.non_form_errors(), formset.errors)
        for prefix, formset in page_formsets(response).items()
    ] + [response.context["adminform"].form.errors]
    assert agreement.signing_events.count() == 1


def test_more_fields_than_the_bound_is_a_400_before_any_form(admin_client, agreement_page):
    _, url, data = agreement_page
    padding = {f"x{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = admin_client.post(url, {**data, **padding})
    assert response.status_code == 400


def field_count(data: dict) -> int:
    """Fields as Django counts them against DATA_UPLOAD_MAX_NUMBER_FIELDS: one per value."""
    return sum(len(value) if isinstance(value, list) else 1 for value in data.values())


def test_largest_real_agreement_fits_the_bounds_ten_times_over(admin_client, db):
    call_command("load_demo", countries="DE,JP", stdout=StringIO())
    pages = {}
    for agreement in Agreement.objects.all():
        url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
        response = admin_client.get(url)
        assert response.status_code == 200
        pages[url] = form_post_data(response)
    url, data = max(pages.items(), key=lambda page: field_count(page[1]))
    assert 10 * field_count(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, field_count(data)
    for prefix in formset_prefixes(data):
        assert 10 * int(data[f"{prefix}-TOTAL_FORMS"]) <= settings.PORTAL_ADMIN_MAX_INLINE_ROWS
    rows = max(int(data[f"{prefix}-TOTAL_FORMS"]) for prefix in formset_prefixes(data))
    print(f"largest demo agreement: {field_count(data)} fields, {rows} rows at most")
    response = admin_client.post(url, data)  # saved unchanged: within the bounds
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"]
    ]
