"""Translated fields: English is the first fallback, then any language that has a text (a title or
quote may exist only in its original language); names keep their native script and order."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from modeltranslation import settings as mt_settings

from organizations.models import Organization, Person
from partnerships.models import Agreement

# Fallbacks


def test_settings_declare_english_then_any_language_as_the_fallback():
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {"default": ("en", "de", "ja", "fr")}
    assert settings.MODELTRANSLATION_DEFAULT_LANGUAGE == "en"


def test_modeltranslation_uses_the_declared_fallbacks():
    assert mt_settings.FALLBACK_LANGUAGES == settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    assert mt_settings.AVAILABLE_LANGUAGES == ["en", "de", "ja", "fr"]


@pytest.mark.parametrize("language", ["de", "ja", "fr"])
def test_a_name_given_only_in_english_is_shown_in_english(language, organization_factory):
    organization = organization_factory(name="Example Cluster")

    with translation.override(language):
        assert organization.name == "Example Cluster"
        assert str(organization) == "Example Cluster"


@pytest.mark.parametrize("language", ["de", "ja", "fr"])
def test_an_empty_translation_falls_back_to_english(language, organization_factory):
    organization = organization_factory(name="Example Cluster", name_de="", name_ja="")

    with translation.override(language):
        assert organization.name == "Example Cluster"


def test_a_name_given_in_german_is_shown_in_german(organization_factory):
    organization = organization_factory(name="Example Cluster", name_de="Beispiel-Cluster")

    with translation.override("de"):
        assert organization.name == "Beispiel-Cluster"
    with translation.override("en"):
        assert organization.name == "Example Cluster"


def test_a_name_given_in_japanese_is_shown_in_japanese(organization_factory):
    organization = organization_factory(name="Example Cluster", name_ja="テストクラスター")

    with translation.override("ja"):
        assert organization.name == "テストクラスター"


def test_japanese_falls_back_to_english_not_to_german(organization_factory):
    organization = organization_factory(name="Example Cluster", name_de="Beispiel-Cluster")

    with translation.override("ja"):
        assert organization.name == "Example Cluster"


def test_a_fallback_survives_a_fresh_query(agreement_factory):
    agreement = agreement_factory(title="Test agreement", title_de="Testvereinbarung")

    with translation.override("ja"):
        assert Agreement.objects.get(pk=agreement.pk).title == "Test agreement"
    with translation.override("de"):
        assert Agreement.objects.get(pk=agreement.pk).title == "Testvereinbarung"


# No language is required, one is (AnyLanguageModelMixin; tests/test_one_language_texts.py)


def test_an_organisation_named_only_in_german_is_valid(subdivision_factory):
    organization = Organization(
        name_de="Nur Deutsch", slug="nur-deutsch", kind="cluster", region=subdivision_factory()
    )

    organization.full_clean()
    assert str(organization) == "Nur Deutsch"


def test_an_agreement_titled_only_in_german_is_valid(db):
    with translation.override("de"):
        agreement = Agreement(title="Nur Deutsch", slug="nur-deutsch", kind="mou")

    agreement.full_clean()
    assert str(agreement) == "Nur Deutsch"


def test_an_agreement_without_a_title_in_any_language_is_invalid_on_the_english_title(db):
    agreement = Agreement(title="", slug="ohne-titel", kind="mou")

    with pytest.raises(ValidationError) as excinfo:
        agreement.full_clean()

    assert excinfo.value.message_dict["title_en"] == ["Give the title in at least one language."]


def test_a_statement_quoted_only_in_japanese_is_valid(statement_factory):
    statement = statement_factory(text="", text_ja="日本語だけ", original_language="ja")

    statement.full_clean()
    assert str(statement).endswith(": 日本語だけ")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_text_given_only_in_japanese_falls_back_to_japanese(language, agreement_factory):
    agreement = agreement_factory(title="", title_ja="日本語だけの協定")

    with translation.override(language):
        assert Agreement.objects.get(pk=agreement.pk).title == "日本語だけの協定"


def test_an_organisation_with_only_an_english_name_is_valid(subdivision_factory):
    organization = Organization(
        name_en="Example Cluster", slug="example", kind="cluster", region=subdivision_factory()
    )

    organization.full_clean()


# Person.display_name


@pytest.fixture
def professor(person_factory):
    return person_factory(
        given_name="Testgiven",
        family_name="Testfamily",
        honorific_en="Prof.",
        honorific_de="Prof. Dr.",
        honorific_ja="教授",
    )


def test_display_name_in_english_puts_the_honorific_and_given_name_first(professor):
    assert professor.display_name("en") == "Prof. Testgiven Testfamily"


def test_display_name_in_german_uses_the_german_honorific(professor):
    assert professor.display_name("de") == "Prof. Dr. Testgiven Testfamily"


def test_display_name_in_japanese_puts_the_family_name_first_without_honorific(professor):
    assert professor.display_name("ja") == "Testfamily Testgiven"


def test_display_name_in_japanese_uses_the_native_script_when_known(person_factory):
    person = person_factory(
        given_name="Taro", family_name="Testyama", honorific="Dr.", native_name="テスト山 太郎"
    )

    assert person.display_name("ja") == "テスト山 太郎"
    assert person.display_name("en") == "Dr. Taro Testyama"


def test_display_name_keeps_given_name_first_in_english_and_german_for_family_first_names(
    person_factory,
):
    person = person_factory(
        given_name="Taro",
        family_name="Testyama",
        native_name_order=Person.NameOrder.FAMILY_FIRST,
    )

    assert person.display_name("en") == "Taro Testyama"
    assert person.display_name("de") == "Taro Testyama"
    assert person.display_name("ja") == "Testyama Taro"


def test_display_name_falls_back_to_the_english_honorific(person_factory):
    person = person_factory(given_name="Testgiven", family_name="Testfamily", honorific="Dr.")

    assert person.display_name("de") == "Dr. Testgiven Testfamily"


def test_display_name_can_leave_out_the_honorific(professor):
    assert professor.display_name("de", with_honorific=False) == "Testgiven Testfamily"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Prof. Testgiven Testfamily"),
        ("de", "Prof. Dr. Testgiven Testfamily"),
        ("ja", "Testfamily Testgiven"),
    ],
)
def test_a_person_is_shown_in_the_active_language(language, expected, professor):
    with translation.override(language):
        assert str(professor) == expected
        assert professor.display_name() == expected
