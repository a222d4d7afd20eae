"""The history page reads as people's changes (core/history.py, templates/admin/history/): in
the reader's language, a measure with its unit ("6 months → 3 months"), no bookkeeping columns,
no microseconds, the admin's breadcrumbs, "Restore" only where it would change something."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from partnerships.models import Agreement
from partnerships.terms import DurationUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(agreement_factory):
    agreement = agreement_factory(
        title="Kyoto–Lyon memorandum",
        notice_period=6,
        notice_period_unit=DurationUnit.MONTHS,
        publication=Agreement.Publication.DRAFT,
    )
    agreement.notice_period = 3
    agreement.save()
    Agreement.objects.filter(pk=agreement.pk).update(terms_version=2, terms_digest="abc")
    return agreement


def history_page(client, agreement, **headers) -> str:
    url = reverse("admin:partnerships_agreement_history", args=[agreement.pk])
    return client.get(url, **headers).content.decode()


def test_a_measure_is_shown_with_its_unit(admin_client, agreement):
    assert "notice period: 6 months → 3 months" in history_page(admin_client, agreement)


def test_the_changes_are_in_the_readers_language(admin_client, agreement):
    page = history_page(admin_client, agreement, HTTP_ACCEPT_LANGUAGE="de")

    assert "Kündigungsfrist: 6 Monate → 3 Monate" in page
    assert "geändert" in page


def test_bookkeeping_columns_are_not_listed(admin_client, agreement):
    page = history_page(admin_client, agreement)
    compare = admin_client.get(
        reverse("admin:partnerships_agreement_history_compare", args=[agreement.pk]), {"all": 1}
    ).content.decode()

    for text in (page, compare):
        assert "terms digest" not in text.lower()
        assert "version of the key terms" not in text.lower()


def test_no_time_is_shown_to_the_microsecond(admin_client, agreement):
    compare = admin_client.get(
        reverse("admin:partnerships_agreement_history_compare", args=[agreement.pk]), {"all": 1}
    ).content.decode()

    assert not re.search(r"\d\d:\d\d:\d\d\.\d{6}", compare)


def test_restore_is_offered_for_earlier_versions_only(admin_client, agreement):
    page = history_page(admin_client, agreement)

    # insert, the notice change, the bookkeeping update: only the insert would change something.
    assert page.count("Restore this version") == 1


def test_the_breadcrumbs_are_the_admins_own(admin_client, agreement):
    assert '<ol class="breadcrumbs">' in history_page(admin_client, agreement)
