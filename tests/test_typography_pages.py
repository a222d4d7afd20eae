"""Pages write as their language does (core/typography.py): Japanese 、 and full-width （）, each
language's list joining, date ranges."""

import re

import pytest


def content(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_fallback_note_on_a_japanese_page_uses_full_width_brackets_and_no_space(
    client, agreement_factory
):
    agreement = agreement_factory(title_en="Cooperation in English only", title_ja="")
    page = content(client.get(f"/ja/agreements/{agreement.slug}/"))
    assert (
        '<span lang="en" data-fallback>Cooperation in English only</span>'
        '<small class="fallback-note">（英語）</small>' in page
    )
    assert "(英語)" not in page


def test_a_fallback_note_on_a_french_page_is_in_french(client, agreement_factory):
    agreement = agreement_factory(title_en="Cooperation in English only", title_fr="")
    page = content(client.get(f"/fr/agreements/{agreement.slug}/"))
    assert (
        '<span lang="en" data-fallback>Cooperation in English only</span> '
        '<small class="fallback-note">(en anglais)</small>' in page
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "German, English and Japanese"),
        ("de", "Deutsch, Englisch und Japanisch"),
        ("fr", "allemand, anglais et japonais"),
        ("ja", "ドイツ語、英語、日本語"),
    ],
)
def test_the_authentic_languages_are_listed_as_the_page_language_lists(
    client, agreement_factory, language, expected
):
    agreement = agreement_factory(authentic_languages=["de", "en", "ja"])
    page = content(client.get(f"/{language}/agreements/{agreement.slug}/"))
    assert f"<dd>{expected}</dd>" in page


def test_an_events_dates_are_joined_with_a_wave_dash_in_japanese(client, event_factory):
    event = event_factory()
    page = content(client.get(f"/ja/events/{event.slug}/"))
    assert "</time>〜<time" in page
    page = content(client.get(f"/de/events/{event.slug}/"))
    # German: the en dash, unspaced between two days of one month ("2.–4. November 2015",
    # core/dates.py), spaced otherwise
    assert re.search(r"</time>( – |–)<time", page)


def test_signatories_on_an_event_page_are_listed_in_japanese_style(
    client, signature_factory, event_factory
):
    event = event_factory()
    first = signature_factory(
        signing_event__occasion=event, signing_event__agreement__publication="published"
    )
    signature_factory(signing_event=first.signing_event)
    page = content(client.get(f"/ja/events/{event.slug}/"))
    organization = first.party.organization.name  # English only: marked as such
    assert f'（<span lang="en" data-fallback>{organization}</span>）、' in page
