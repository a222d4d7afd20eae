"""The agreement search function of migration ``partnerships/0002_search`` as a Django expression.

Imports no models: ``partnerships/models.py`` uses it in ``Agreement.Meta.indexes``.
"""

from __future__ import annotations

from django.db.models import F, Func, TextField

from core.languages import language_fields

# Migration 0010 (landed, never edited) names the end-of-term function by its old home.
from partnerships.terms import TermEnd  # noqa: F401


class AgreementDocument(Func):
    """An agreement's code, titles and summaries (every language), cleaned like every search
    document (``organizations_search_clean``)."""

    function = "partnerships_agreement_document"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(
            F("code"),
            *(F(name) for name in language_fields("title")),
            *(F(name) for name in language_fields("summary")),
            **extra,
        )
