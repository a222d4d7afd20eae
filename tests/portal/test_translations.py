from django.utils import translation

from portal.compilemessages import LOCALE_DIR, stale_catalogues


def test_german_and_japanese_catalogues_exist():
    assert {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")} >= {
        "de",
        "ja",
    }


def test_the_committed_compiled_catalogues_match_their_po_files():
    assert stale_catalogues() == []


def test_ui_strings_are_translated_into_german_and_japanese():
    with translation.override("de"):
        german = translation.gettext("Agreements")
    with translation.override("ja"):
        japanese = translation.gettext("Agreements")
    assert german != "Agreements"
    assert japanese != "Agreements"


def _catalogue(language):
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_every_ui_string_has_a_german_translation():
    catalogue = _catalogue("de")
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_every_ui_string_has_a_japanese_translation():
    catalogue = _catalogue("ja")
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert missing == []
