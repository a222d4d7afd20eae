"""Translated fields filled in some language only: which language a text is shown in.

A text may exist only in its original language (a quote in Japanese, a name in German): no
language is required, at least one is. Pages show the active language's text, else the first
filled one of ``MODELTRANSLATION_FALLBACK_LANGUAGES``, and mark it (``portal_tags.translated``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import resolution_order


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


def shown_language(obj: object, field: str, language: str | None = None) -> str | None:
    """The language ``obj.field`` is shown in under ``language`` (default: the active one):
    that language if it has a text, else its first filled fallback; None if none has one.
    The same order as modeltranslation's own fallback (``MODELTRANSLATION_FALLBACK_LANGUAGES``)."""
    language = (language or get_language() or settings.MODELTRANSLATION_DEFAULT_LANGUAGE)[:2]
    for code in resolution_order(language):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None
