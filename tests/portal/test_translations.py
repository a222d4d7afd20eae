import pytest
from django.conf import settings
from django.utils import translation

from portal.compilemessages import LOCALE_DIR, stale_catalogues

# Every language of settings.LANGUAGES but the default (English, the source language).
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_every_language_but_english_has_a_catalogue():
    assert {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")} >= set(
        TRANSLATED_LANGUAGES
    )


def test_the_committed_compiled_catalogues_match_their_po_files():
    assert stale_catalogues() == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_ui_strings_are_translated(language):
    with translation.override(language):
        assert translation.gettext("Agreements") != "Agreements"


def test_french_is_translated_into_french():
    with translation.override("fr"):
        assert translation.gettext("Agreements") == "Accords"


def _catalogue(language):
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_ui_string_has_a_translation(language):
    catalogue = _catalogue(language)
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def _untranslated(language):
    """Strings the code uses that neither our catalogue nor Django's (or an installed app's)
    translates into ``language``."""
    from tests.i18n_sources import used_messages

    ours = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(language) if m.id}
    missing = []
    with translation.override(language):
        for message in used_messages():
            if message.singular in ours:
                continue
            if message.context is not None:
                translated = translation.pgettext(message.context, message.singular)
            else:
                translated = translation.gettext(message.singular)
            if translated == message.singular:
                missing.append(f"{message.where}: {message.singular!r}")
    return sorted(set(missing))


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_string_the_code_uses_is_in_the_catalogue(language):
    assert _untranslated(language) == []


def test_the_string_finder_finds_python_and_template_strings():
    """Guards the check above against finding nothing (and so passing on anything)."""
    from tests.i18n_sources import used_messages

    found = {m.singular: m for m in used_messages()}
    assert "Agreements signed per year" in found  # a {% translate %} in a template
    assert found["An organisation can be a party only once."].where.startswith("partnerships/")
    assert any(m.plural for m in found.values())  # ngettext / blocktranslate count
    assert len(found) > 500
