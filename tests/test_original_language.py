"""Texts in their original language, whatever it is (ISO 639): a quote said in Italian, an
agreement signed in Chinese — shown with their own ``lang`` and labelled in the page's language,
with the translations beside them (core.languages.original_text)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.languages import in_language_note, language_name, validate_iso639
from partnerships.models import Statement

ITALIAN = "C'è un grande potenziale per le imprese delle nostre regioni."


def content(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("code", "page", "expected"),
    [
        ("fr", "de", "Französisch"),
        ("fr", "ja", "フランス語"),
        ("it", "fr", "italien"),
        ("haw", "en", "Hawaiian"),
    ],
)
def test_any_iso_639_language_is_named_in_the_pages_language(code, page, expected):
    assert language_name(code, page) == expected


@pytest.mark.parametrize(
    ("code", "page", "expected"),
    [
        ("it", "de", "auf Italienisch"),
        ("it", "ja", "イタリア語"),
        ("it", "fr", "en italien"),
        ("it", "en", "in Italian"),
        ("fr", "de", "auf Französisch"),
        ("fr", "ja", "フランス語"),
    ],
)
def test_the_note_says_in_which_language_a_text_is(code, page, expected):
    assert in_language_note(code, page) == expected


@pytest.mark.parametrize("code", ["it", "zh", "haw", "FR"])
def test_an_iso_639_code_is_accepted(code):
    validate_iso639(code)


@pytest.mark.parametrize("code", ["xx", "french", "", "q1"])
def test_anything_else_is_refused(code):
    with pytest.raises(ValidationError):
        validate_iso639(code)


def test_a_quote_kept_only_in_its_original_language_is_valid(statement_factory):
    other = statement_factory()
    statement = Statement(
        agreement=other.agreement,
        person=other.person,
        text="",
        original_language="it",
        original_text=ITALIAN,
    )
    statement.full_clean()


def test_a_quote_in_no_language_at_all_is_refused(statement_factory):
    other = statement_factory()
    statement = Statement(agreement=other.agreement, person=other.person, text="")
    with pytest.raises(ValidationError) as excinfo:
        statement.full_clean()
    assert "text_en" in excinfo.value.message_dict


def test_an_original_in_one_of_the_portals_languages_goes_into_its_own_field(statement_factory):
    statement = statement_factory(original_language="fr")
    statement.original_text = "Il y a un grand potentiel."
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        statement.full_clean()
    assert "(in French)" in str(excinfo.value.message_dict["original_text"])


@pytest.fixture
def italian_quote(statement_factory):
    return statement_factory(
        text_en="There is great potential for the companies of our regions.",
        text_de="Es gibt ein großes Potenzial für die Unternehmen unserer Regionen.",
        text_ja="",
        original_language="it",
        original_text=ITALIAN,
    )


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", ' <small class="fallback-note">(in Italian)</small>'),
        ("de", ' <small class="fallback-note">(auf Italienisch)</small>'),
        ("ja", '<small class="fallback-note">（イタリア語）</small>'),
        ("fr", ' <small class="fallback-note">(en italien)</small>'),
    ],
)
def test_a_quote_in_italian_is_shown_in_italian_and_labelled_on_every_site(
    client, italian_quote, language, note
):
    page = content(client.get(f"/{language}/agreements/{italian_quote.agreement.slug}/"))
    assert f'<blockquote lang="it" data-original><p>{ITALIAN.replace("'", "&#x27;")}</p>' in page
    assert note in page


def test_the_translation_into_the_pages_language_stands_beside_the_original(client, italian_quote):
    page = content(client.get(f"/de/agreements/{italian_quote.agreement.slug}/"))
    assert (
        '<blockquote class="translation"><p>Es gibt ein großes Potenzial für die Unternehmen '
        "unserer Regionen.</p></blockquote>" in page
    )


def test_a_french_quote_is_labelled_french_not_english(client, statement_factory):
    statement = statement_factory(
        text_en="", text_fr="Nous saluons ce nouvel accord.", original_language="fr"
    )
    english = content(client.get(f"/en/agreements/{statement.agreement.slug}/"))
    assert '<blockquote lang="fr" data-original><p>Nous saluons ce nouvel accord.</p>' in english
    assert "(in French)" in english
    assert "(in English)" not in english
    japanese = content(client.get(f"/ja/agreements/{statement.agreement.slug}/"))
    assert "（フランス語）" in japanese
    french = content(client.get(f"/fr/agreements/{statement.agreement.slug}/"))
    assert "<blockquote><p>Nous saluons ce nouvel accord.</p></blockquote>" in french


def test_an_agreement_title_in_its_signed_language_is_shown_beside_the_title(
    client, agreement_factory
):
    agreement = agreement_factory(
        title="Cooperation agreement",
        original_title="Accordo di cooperazione",
        original_title_language="it",
    )
    page = content(client.get(f"/de/agreements/{agreement.slug}/"))
    assert (
        '<p class="original-title"><span lang="it" data-original>Accordo di cooperazione</span> '
        '<small class="fallback-note">(auf Italienisch)</small></p>' in page
    )


def test_an_old_quote_without_a_known_original_still_falls_back_with_its_mark(
    client, statement_factory
):
    statement = statement_factory(text="", text_ja="日本語だけ。", original_language="en")
    page = content(client.get(f"/de/agreements/{statement.agreement.slug}/"))
    assert '<blockquote lang="ja" data-fallback><p>日本語だけ。</p></blockquote>' in page
    assert "(auf Japanisch)" in page


def test_statement_str_uses_the_original_when_there_is_no_translation(statement_factory):
    statement = Statement(text="", original_text=ITALIAN, original_language="it")
    statement.person = statement_factory().person
    assert ITALIAN[:20] in str(statement)


# The API and the open-data export (the presenters, partnerships/presenters.py): the original
# beside the translations, with its ISO 639 code.


def _api_agreement(client, agreement) -> dict:
    response = client.get(f"/api/v1/agreements/{agreement.pk}/", {"lang": "de"})
    assert response.status_code == 200
    return response.json()


def test_the_api_gives_a_quote_in_italian_as_said_with_its_language(client, italian_quote):
    [quote] = _api_agreement(client, italian_quote.agreement)["statements"]

    assert (quote["original_language"], quote["original_text"]) == ("it", ITALIAN)
    assert quote["text"].startswith("Es gibt ein großes Potenzial")


def test_the_api_gives_a_german_quote_s_original_from_its_german_field(client, statement_factory):
    statement = statement_factory(
        text_en="Great potential.", text_de="Großes Potenzial.", original_language="de"
    )

    [quote] = _api_agreement(client, statement.agreement)["statements"]

    assert (quote["original_language"], quote["original_text"]) == ("de", "Großes Potenzial.")


def test_the_api_gives_the_title_in_the_signed_language(client, agreement_factory):
    agreement = agreement_factory(
        title="Cooperation agreement",
        original_title="Accordo di cooperazione",
        original_title_language="it",
    )

    data = _api_agreement(client, agreement)

    assert data["original_title"] == "Accordo di cooperazione"
    assert data["original_title_language"] == "it"


def test_an_agreement_signed_in_the_portals_languages_has_no_original_title(
    client, agreement_factory
):
    data = _api_agreement(client, agreement_factory(title="Cooperation agreement"))

    assert (data["original_title"], data["original_title_language"]) == ("", "")


def test_the_api_schema_documents_the_originals(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]

    assert "ISO 639" in schema["Agreement"]["properties"]["original_title_language"]["description"]
    assert "as it was said" in schema["Statement"]["properties"]["original_text"]["description"]


def test_the_open_data_export_has_the_originals_with_their_language(
    italian_quote, agreement_factory
):
    from portal import open_data

    agreement = italian_quote.agreement
    agreement.original_title, agreement.original_title_language = "Accordo", "it"
    agreement.save()
    tables = {table.name: table for table in open_data.tables("http://testserver")}

    [statement] = [r for r in _records(tables["statements"]) if r["id"] == italian_quote.pk]
    [record] = [r for r in _records(tables["agreements"]) if r["id"] == agreement.pk]

    assert (statement["original_language"], statement["original_text"]) == ("it", ITALIAN)
    assert (record["original_title"], record["original_title_language"]) == ("Accordo", "it")


def _records(table) -> list[dict]:
    return list(table.records())
