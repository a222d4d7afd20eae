"""The portal's languages, and translated fields filled in some language only.

The languages are ``settings.LANGUAGES``, in their order, and nowhere else: every module that
loops over them asks :func:`language_codes` or :func:`language_fields`
(``tests/core/test_languages.py`` finds any list written out elsewhere).

A text may exist only in its original language (a quote in Japanese, a name in German): no
language is required, at least one is. Pages show the active language's text, else the first
filled one of ``MODELTRANSLATION_FALLBACK_LANGUAGES``, and mark it (``portal_tags.translated``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
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
