"""The portal's languages, and translated fields filled in some language only.

The languages are ``settings.LANGUAGES``, in their order, and nowhere else: every module that
loops over them asks :func:`language_codes` or :func:`language_fields`
(``tests/core/test_languages.py`` finds any list written out elsewhere).

A text may exist only in its original language (a quote in Japanese, a name in German): no
language is required, at least one is. Pages show the active language's text, else the first
filled one of ``MODELTRANSLATION_FALLBACK_LANGUAGES``, and mark it (``portal_tags.translated``).
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import pycountry
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override as translation_override
from modeltranslation.utils import resolution_order


def language_codes() -> tuple[str, ...]:
    """The code of every language, in settings order (``("en", "de", …)``), the default first."""
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def supported_language(language: str | None = None) -> str:
    """``language`` (default: the active one) cut to its code if it is one of the portal's
    languages (``de-at`` → ``de``), else the default language."""
    code = (language or get_language() or "")[:2]
    return code if code in language_codes() else settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def language_fields(field: str) -> tuple[str, ...]:
    """The column of ``field`` in every language, in settings order (``name`` → ``name_en``, …)."""
    return tuple(f"{field}_{code}" for code in settings.MODELTRANSLATION_LANGUAGES)


def default_language_field(field: str) -> str:
    """The default language's column of ``field`` (``title`` → ``title_en``): where the
    "give it in at least one language" message goes in the admin."""
    return f"{field}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"


def filled_in_any_language(obj: object, field: str) -> bool:
    """Whether ``obj.field`` has a text in at least one language."""
    return any(
        (getattr(obj, f"{field}_{code}", None) or "").strip()
        for code in settings.MODELTRANSLATION_LANGUAGES
    )


def missing_language_errors(obj: Any, fields: tuple[str, ...]) -> dict[str, list]:
    """For each of ``fields`` that has no text in any language, the message "give it in at least
    one language", on its default language's column (where the admin shows it)."""
    errors: dict[str, list] = {}
    for field in fields:
        if not filled_in_any_language(obj, field):
            verbose_name = obj._meta.get_field(field).verbose_name
            errors[default_language_field(field)] = [
                _("Give the %(field)s in at least one language.") % {"field": verbose_name}
            ]
    return errors


class AnyLanguageModelMixin:
    """A model whose ``any_language_fields`` need a text in one language, any (a name only in
    German, a quote only in Japanese): their translation options require no language, and
    ``clean()`` asks for at least one. The admin follows with ``AnyLanguageAdminMixin``; the
    pages fall back to the language given and mark it (``portal_tags.translated``). The
    original column (``name``, NOT NULL) is written with the fallback, so it is never empty."""

    any_language_fields: ClassVar[tuple[str, ...]] = ()

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]  # mixed into a Model
        errors = missing_language_errors(self, self.any_language_fields)
        if errors:
            raise ValidationError(errors)


class AnyLanguageAdminMixin:
    """For a modeltranslation admin or inline: the default language's column of the model's
    ``any_language_fields`` is not required (modeltranslation's admin requires it whenever the
    original field is); the model's ``clean()`` asks for at least one language, with its message
    on the default language's field."""

    model: Any

    def patch_translation_field(self, db_field, field, request, **kwargs) -> None:
        super().patch_translation_field(db_field, field, request, **kwargs)  # type: ignore[misc]  # mixed into a TranslationAdmin
        translated = getattr(db_field, "translated_field", None)
        if translated is not None and translated.name in getattr(
            self.model, "any_language_fields", ()
        ):
            field.required = False


def shown_language(obj: object, field: str, language: str | None = None) -> str | None:
    """The language ``obj.field`` is shown in under ``language`` (default: the active one):
    that language if it has a text, else its first filled fallback; None if none has one.
    The same order as modeltranslation's own fallback (``MODELTRANSLATION_FALLBACK_LANGUAGES``)."""
    language = (language or get_language() or settings.MODELTRANSLATION_DEFAULT_LANGUAGE)[:2]
    for code in resolution_order(language):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None


def fallback_language(obj: object, field: str, language: str | None = None) -> str:
    """The language ``obj.field`` is shown in when ``language`` (default: the active one) has
    no text: "" when it has one, or when no language has one. Pages mark such a text with
    ``lang`` and a discreet marker (``portal_tags.fallback_attrs``)."""
    if obj is None:
        return ""
    active = (language or get_language() or settings.MODELTRANSLATION_DEFAULT_LANGUAGE)[:2]
    shown = shown_language(obj, field, active)
    return shown if shown and shown != active else ""


class MarkedSelect(forms.Select):
    """A ``<select>`` of translated records (focus areas) whose options carry ``lang`` (and the
    fallback marker) when an option's name is shown in another language than the page's."""

    field = "name"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        language = fallback_language(getattr(value, "instance", None), self.field)
        if language:
            option["attrs"] = {**option["attrs"], "lang": language, "data-fallback": True}
        return option


# Texts in their original language, whatever it is (ISO 639) ----------------------------------


def iso639(code: str | None) -> Any:
    """The ISO 639 language of ``code`` (``fr``, ``fra``; any case), or None."""
    code = (code or "").strip().lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code)
    return None


def validate_iso639(value: str) -> None:
    """Accept an ISO 639-1 or 639-3 code (``fr``, ``it``, ``haw``); refuse anything else."""
    if iso639(value) is None:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639 language code (for example fr, it, zh)."),
            code="invalid_language",
            params={"value": value},
        )


@cache
def _iso639_catalogue(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def language_name(code: str, language: str | None = None) -> str:
    """The name of the language ``code`` as ``language`` (default: the active one) writes it:
    ``fr`` → "Französisch" on German pages, "フランス語" on Japanese ones, "italien" on French
    ones (French writes language names in lower case). Any ISO 639 language, from the iso-codes
    catalogues pycountry ships; the code itself when it is none."""
    from core.typography import typography

    found = iso639(code)
    if found is None:
        return code
    page = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    name = _iso639_catalogue(page).gettext(found.name)
    if typography(page).lowercase_language_names:
        name = name[:1].lower() + name[1:]
    return name


def in_language_note(code: str, language: str | None = None) -> str:
    """The note "in French" for a text in ``code``, in ``language`` (default: the active one):
    "auf Französisch", "フランス語", "en français". The settings' own note where ``code`` is
    one of the portal's languages."""
    page = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    with translation_override(page):
        if code in settings.LANGUAGE_NOTES:
            return str(settings.LANGUAGE_NOTES[code])
        return _("in %(language)s") % {"language": language_name(code, page)}


@dataclass(frozen=True)
class OriginalText:
    """A text as a page shows it: in its original language (with ``lang`` and the note "in
    French" where that is not the page's), and its translation into the page's language
    beside it where there is one."""

    text: str
    lang: str  # "" when the text is in the page's language
    note: str  # "in French", "" when the text is in the page's language
    translation: str  # the text in the page's language, "" when none or the same
    is_original: bool  # False: an old record whose original is not known (a fallback)


def original_of(obj: object, field: str, *, original_field: str, language_field: str) -> str:
    """The text of ``obj.field`` as it was said or signed, in the language ``obj.language_field``
    names (any ISO 639 code): ``obj.original_field`` when given, else the column of ``field`` in
    that language when it is one of the portal's; "" when the original is not known. What the
    pages show as the original (:func:`original_text`), the API and the open-data export publish
    (the presenters)."""
    original = (getattr(obj, original_field, "") or "").strip()
    code = (getattr(obj, language_field, "") or "").strip().lower()
    if not original and code in language_codes():
        original = (getattr(obj, f"{field}_{code}", "") or "").strip()
    return original


def original_text(
    obj: object,
    field: str,
    *,
    original_field: str,
    language_field: str,
    language: str | None = None,
) -> OriginalText:
    """``obj.field`` as a page in ``language`` (default: the active one) shows it.

    The original is ``obj.original_field`` when given (any ISO 639 language, named by
    ``obj.language_field``), else the column of ``field`` in the original language when that
    is one of the portal's. Without an original, the text falls back as every translated text
    does (:func:`fallback_language`).
    """
    page = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    code = (getattr(obj, language_field, "") or "").strip().lower()
    original = original_of(obj, field, original_field=original_field, language_field=language_field)
    if not original:
        shown_in = fallback_language(obj, field, page)
        return OriginalText(
            text=getattr(obj, field, "") or "",
            lang=shown_in,
            note=in_language_note(shown_in, page) if shown_in else "",
            translation="",
            is_original=False,
        )
    if code[:2] == page or code == "":
        return OriginalText(original, "", "", "", True)
    own = (getattr(obj, f"{field}_{page}", "") or "").strip() if page in language_codes() else ""
    return OriginalText(
        text=original,
        lang=code,
        note=in_language_note(code, page),
        translation=own if own and own != original else "",
        is_original=True,
    )
