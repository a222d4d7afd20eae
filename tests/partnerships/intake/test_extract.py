"""The rule-based extractor, one rule at a time, in each language; then the seed release whole.

Pure functions: no database. The texts are synthetic (fictional organisations and people), except
the seed release of the demo data (``partnerships/demo_sources``).
"""

from __future__ import annotations

import datetime

import pytest

from partnerships.demo import press_release_text
from partnerships.intake.extract import Extractor, detect_language, extract, same_name, sentences


def test_sentences_do_not_end_after_a_day_number_or_a_title():
    found = [s.text for s in sentences("Am 2. November 2015 sprach Dr. Muster. Dann nicht.")]
    assert found == ["Am 2. November 2015 sprach Dr. Muster.", "Dann nicht."]


def test_each_sentence_keeps_its_span_in_the_text():
    text = "First one here.  Second one there."
    for sentence in sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Vereinbarung wurde heute in der Stadt unterzeichnet und ist gültig.", "de"),
        ("The agreement was signed today and is valid for the region.", "en"),
        ("両機関は本日、協力協定に署名した。協定の有効期間は三年間である。", "ja"),
    ],
)
def test_the_language_is_recognised(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "language", "date"),
    [
        ("Die Vereinbarung wurde am 2. November 2015 unterzeichnet.", "de", (2015, 11, 2)),
        ("The memorandum was signed on April 1, 2027 in Exampleton.", "en", (2027, 4, 1)),
        ("The memorandum was signed on 8 February 2027.", "en", (2027, 2, 8)),
        ("両者は2027年2月8日に覚書に署名した。", "ja", (2027, 2, 8)),
        ("両者は２０２７年２月８日に覚書に署名した。", "ja", (2027, 2, 8)),
    ],
)
def test_the_signing_date_is_read_in_each_language(text, language, date):
    signed = Extractor(text, language).signed_on()
    assert signed is not None
    assert signed["value"] == datetime.date(*date)
    assert signed["source"] == text


def test_two_signing_dates_make_a_question_not_a_value():
    text = "Signed on 2 November 2015. The partners signed again on 4 November 2015."
    signed = Extractor(text, "en").signed_on()
    assert signed["value"] is None
    assert signed["alternatives"] == [datetime.date(2015, 11, 2), datetime.date(2015, 11, 4)]


@pytest.mark.parametrize(
    ("text", "language", "term", "notice"),
    [
        (
            "Die Vereinbarung hat eine Laufzeit von drei Jahren und kann mit einer Frist von "
            "drei Monaten gekündigt werden.",
            "de",
            {"value": 3, "unit": "years"},
            {"value": 3, "unit": "months"},
        ),
        (
            "The memorandum is valid for five years. Either party may end it with six months' "
            "notice.",
            "en",
            {"value": 5, "unit": "years"},
            {"value": 6, "unit": "months"},
        ),
        (
            "本覚書の有効期間は2年間とする。終了する場合は3か月前までに書面で通知する。",
            "ja",
            {"value": 2, "unit": "years"},
            {"value": 3, "unit": "months"},
        ),
    ],
)
def test_term_and_notice_are_read_in_words_and_digits(text, language, term, notice):
    durations = Extractor(text, language).durations()
    assert durations["term"]["value"] == term
    assert durations["notice"]["value"] == notice
    assert durations["automatic_renewal"] is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The agreement is valid for two years and renews automatically for a further year.",
            "en",
        ),
        (
            "Die Vereinbarung gilt zwei Jahre und verlängert sich automatisch um ein Jahr.",
            "de",
        ),
        ("本協定の有効期間は2年間とし、その後は自動的に更新され、1年間延長される。", "ja"),
    ],
)
def test_automatic_renewal_is_read_with_its_period(text, language):
    durations = Extractor(text, language).durations()
    assert durations["term"]["value"] == {"value": 2, "unit": "years"}
    assert durations["automatic_renewal"]["value"] == {"value": 1, "unit": "years"}


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Heute wurde eine Absichtserklärung unterzeichnet.", "de", "letter_of_intent"),
        ("They signed a Memorandum of Understanding today.", "en", "mou"),
        ("両者は覚書を締結した。", "ja", "mou"),
        ("Eine Kooperationsvereinbarung wurde geschlossen.", "de", "cooperation"),
    ],
)
def test_the_kind_of_agreement_is_recognised(text, language, kind):
    assert Extractor(text, language).kind()["value"] == kind


def test_a_quote_after_its_speaker_with_capacity_and_organisation():
    text = (
        "Dr. Erika Beispiel, Director of Fictional Photonics Alliance: "
        "“We look forward to working with our partners in the north.”"
    )
    (quote,) = Extractor(text, "en").quotes()
    assert quote["speaker"] == "Erika Beispiel"
    assert quote["honorific"] == "Dr."
    assert quote["capacity"] == "Director"
    assert quote["organisation"] == "Fictional Photonics Alliance"
    assert quote["text"] == "We look forward to working with our partners in the north."


def test_a_quote_before_its_speaker_in_german():
    text = (
        "„Wir freuen uns sehr auf die gemeinsame Arbeit“, sagte Prof. Dr. Max Mustermann, "
        "Vorstand der Beispiel Cluster GmbH."
    )
    (quote,) = Extractor(text, "de").quotes()
    assert quote["speaker"] == "Max Mustermann"
    assert quote["honorific"] == "Prof. Dr."
    assert quote["capacity"] == "Vorstand"
    assert quote["organisation"] == "Beispiel Cluster GmbH"


def test_a_japanese_quote_with_its_speaker():
    text = (
        "架空バイオ機構の山田太郎理事長は「両地域の企業の交流がさらに深まることを期待しています」"
        "と述べた。"
    )
    (quote,) = Extractor(text, "ja").quotes()
    assert quote["speaker"] == "山田太郎"
    assert quote["capacity"] == "理事長"
    assert quote["organisation"] == "架空バイオ機構"


def test_a_short_quoted_name_is_no_quote():
    assert Extractor("Das Projekt „Nordlicht“ beginnt im Mai.", "de").quotes() == []


def test_the_witness_of_the_signing_with_capacity():
    text = "Die Unterzeichnung fand in Anwesenheit des Beispielministers Otto Normal statt."
    (witness,) = Extractor(text, "de").witnesses()
    assert witness["name"] == "Otto Normal"
    assert witness["capacity"] == "Beispielministers"


def test_signatories_with_capacity_and_party():
    text = (
        "The memorandum was signed by Jane Example, CEO of Lakeside Robotics Alliance, and "
        "John Sample, President of Hilltop Sensor Cluster."
    )
    found = Extractor(text, "en").signatories()
    assert [(s["name"], s["capacity"], s["party"]) for s in found] == [
        ("Jane Example", "CEO", "Lakeside Robotics Alliance"),
        ("John Sample", "President", "Hilltop Sensor Cluster"),
    ]


@pytest.mark.parametrize(
    ("text", "language", "names"),
    [
        (
            "A cooperation agreement between Lakeside Robotics Alliance, Hilltop Sensor Cluster "
            "and the Riverbend Institute was signed.",
            "en",
            ["Lakeside Robotics Alliance", "Hilltop Sensor Cluster", "Riverbend Institute"],
        ),
        (
            "Die Vereinbarung zwischen Nordwind Photonik e.V. und Südhang Sensorik GmbH wurde "
            "unterzeichnet.",
            "de",
            ["Nordwind Photonik e.V.", "Südhang Sensorik GmbH"],
        ),
        (
            "架空バイオ機構と東方メディカル協会は協力協定に署名した。",
            "ja",
            ["架空バイオ機構", "東方メディカル協会"],
        ),
    ],
)
def test_the_parties_are_read_from_a_list_of_names(text, language, names):
    assert [p["value"] for p in Extractor(text, language).parties()] == names


def test_a_contact_block_with_email_and_phone():
    text = (
        "Contact:\nJane Example\nLakeside Robotics Alliance\nE-mail: jane@example.org\n"
        "Phone: +44 20 7946 0000\n"
    )
    (contact,) = Extractor(text, "en").contacts()
    assert contact["name"] == "Jane Example"
    assert contact["organisation"] == "Lakeside Robotics Alliance"
    assert contact["email"] == "jane@example.org"
    assert contact["phone"] == "+44 20 7946 0000"


def test_a_one_line_contact():
    text = (
        "Kontakt: Dr. Erika Beispiel, Nordwind Photonik e.V., beispiel@example.org, +49 30 1234567"
    )
    (contact,) = Extractor(text, "de").contacts()
    assert contact["name"] == "Erika Beispiel"
    assert contact["honorific"] == "Dr."
    assert contact["organisation"] == "Nordwind Photonik e.V."
    assert contact["email"] == "beispiel@example.org"
    assert contact["phone"] == "+49 30 1234567"


def test_names_are_the_same_without_legal_form_or_with_an_abbreviation():
    assert same_name("BioM Biotech Cluster Development GmbH", "BioM")
    assert same_name("Nordwind Photonik e.V.", "Nordwind Photonik")
    assert not same_name("Osaka Bio Headquarters", "BioM")


def test_the_seed_release_yields_the_renewal_of_munich_and_osaka():
    draft = extract(press_release_text())
    assert draft["language"] == "de"
    assert draft["kind"]["value"] == "cooperation"
    assert draft["signed_on"]["value"] == datetime.date(2015, 11, 2)
    assert draft["place"]["value"] == "München"
    assert draft["occasion"]["value"] == "BIO-Europe"
    assert [p["value"] for p in draft["parties"]] == ["BioM", "Osaka Bio Headquarters"]
    assert [(w["name"], w["capacity"]) for w in draft["witnesses"]] == [
        ("Franz Josef Pschierer", "bayerischen Wirtschaftsstaatssekretärs")
    ]
    assert [(q["speaker"], q["capacity"]) for q in draft["quotes"]] == [
        ("Tadamitsu Kishimoto", "Präsident"),
        ("Horst Domdey", "CEO"),
    ]
    assert draft["quotes"][1]["text"].startswith("In der komplexen japanischen Geschäftskultur")
    assert draft["quotes"][1]["text"].endswith("erleichtert wird.")
    (contact,) = draft["contacts"]
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Stephanie Wehnelt",
        "wehnelt@bio-m.org",
        "+49-89-89 96 79-0",
    )
    assert draft["renews"]["value"] == "renews"
    assert draft["term"] is None and draft["notice"] is None


def test_every_fact_points_at_its_sentence_in_the_text():
    text = press_release_text()
    draft = extract(text)
    assert (
        text[draft["signed_on"]["start"] : draft["signed_on"]["end"]]
        == draft["signed_on"]["source"]
    )
    assert "2. November 2015" in draft["signed_on"]["source"]
