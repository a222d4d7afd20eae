# ruff: noqa: F811 - the fixtures of test_notifications.py, imported by name
"""The guided agreement page (partnerships/guide.py, partnerships/admin/guide.py): what is still
missing for review, and a complete "Dates and status" section closed with its summary.

Personas as in test_notifications.py: Keiko (Kyoto) records a memorandum with Lyon.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from partnerships import guide
from partnerships.models import Agreement
from partnerships.terms import DurationUnit
from tests.partnerships.test_notifications import (  # noqa: F401 - fixtures
    agreement,
    kyoto,
    lyon,
    people,
    stockholm,
)

pytestmark = pytest.mark.django_db


def change_page(client, agreement) -> str:
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    return client.get(url).content.decode()


def test_a_draft_without_signatures_says_what_is_missing_for_review(client, agreement, people):
    client.force_login(people["keiko"])

    page = change_page(client, agreement)

    assert "Still missing for review:" in page
    assert "a signing with its signatories" in page
    assert "a second party" not in page  # Kyoto and Lyon


def test_a_missing_partner_and_translations_are_named(agreement_factory, agreement_party_factory):
    lone = agreement_factory(
        state=Agreement.State.DRAFT, publication="draft", title="Alone", signed_on=None
    )
    agreement_party_factory(agreement=lone)

    missing = guide.missing_for_review(lone)

    assert missing[:2] == ["a second party", "the state “concluded” (signed)"]
    assert missing[-1].startswith("the title in German, Japanese")  # and any further language


def test_complete_dates_close_their_section_with_a_summary(client, agreement, people):
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_on=datetime.date(2015, 11, 2),
        term=Agreement.Term.FIXED,
        term_length=5,
        term_length_unit=DurationUnit.YEARS,
        notice_period=6,
        notice_period_unit=DurationUnit.MONTHS,
    )
    client.force_login(people["keiko"])

    page = change_page(client, agreement)

    assert "Dates and status: signed 2 November 2015 · 5 years · notice 6 months" in page
    assert "section-complete" in page


def test_incomplete_dates_stay_open(client, agreement, people):
    Agreement.objects.filter(pk=agreement.pk).update(term=Agreement.Term.UNSTATED)
    client.force_login(people["keiko"])

    assert "section-complete" not in change_page(client, agreement)


def text_section_classes(client, agreement) -> tuple[str, ...]:
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    [text] = [
        fieldset
        for fieldset in client.get(url).context["adminform"]
        if "authentic_languages" in fieldset.fields
    ]
    return tuple(text.classes.split())


def test_an_empty_text_section_is_closed(client, agreement, people):
    client.force_login(people["keiko"])

    assert "collapse" in text_section_classes(client, agreement)


def test_a_text_section_with_the_terms_stays_open(client, agreement, people):
    Agreement.objects.filter(pk=agreement.pk).update(terms_en="Exchange of delegations.")
    client.force_login(people["keiko"])

    assert "collapse" not in text_section_classes(client, agreement)
