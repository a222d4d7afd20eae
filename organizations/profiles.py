"""An organisation's partner profile (issue 22): the languages its team speaks, by ISO 639 code,
named in the reader's language, and the bounds of the profile's texts.

The languages are those of ISO 639-1 (two letters: ``en``, ``sw``), from pycountry, whose
gettext catalogues (``iso639-3``) also give their names in German and Japanese. No model import
here: the model's field validator lives in this module.
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# "What we offer" and "what we look for": short texts, a few sentences each.
PROFILE_TEXT_MAX = 1000
# The most languages one profile lists: enough for any team, bounded for the page.
LANGUAGES_MAX = 20
# The most target regions a manager lists (organizations/profile_admin.py); the page shows no more.
TARGET_REGIONS_MAX = 20


@cache
def _codes() -> dict[str, str]:
    """{ISO 639-1 code: English name} of every language with a two-letter code."""
    return {
        language.alpha_2: language.name
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
    }


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def language_name(code: str, language: str | None = None) -> str:
    """The name of the language ``code`` in ``language`` (default: the active one): "Japanisch",
    "日本語"; the English name where the catalogue has none, the code itself when unknown."""
    english = _codes().get(code)
    if english is None:
        return code
    reader = (language or get_language() or "en")[:2]
    return english if reader == "en" else _catalogue(reader).gettext(english)


def spoken_language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every ISO 639-1 language as (code, name in ``language``), sorted by name."""
    choices = [(code, language_name(code, language)) for code in _codes()]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def is_language_code(code: str) -> bool:
    return code in _codes()


def validate_language_codes(codes: Any) -> None:
    """The "languages spoken" field's rule: known ISO 639-1 codes, each once, at most
    ``LANGUAGES_MAX`` of them."""
    codes = list(codes or [])
    unknown = [code for code in codes if not is_language_code(code)]
    if unknown:
        raise ValidationError(
            _("Not an ISO 639-1 language code: %(codes)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Give each language once."), code="duplicate_language")
    if len(codes) > LANGUAGES_MAX:
        raise ValidationError(
            _("At most %(count)d languages."),
            code="too_many_languages",
            params={"count": LANGUAGES_MAX},
        )
