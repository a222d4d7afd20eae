"""The agreement search function of migration ``partnerships/0002_search`` as a Django expression.

Imports no models: ``partnerships/models.py`` uses it in ``Agreement.Meta.indexes``.
"""

from __future__ import annotations

from django.db.models import TextField

from organizations.functions import LanguageColumnsFunc

# Migration 0010 (landed, never edited) names the end-of-term function by its old home.
from partnerships.terms import TermEnd  # noqa: F401


class AgreementDocument(LanguageColumnsFunc):
    """An agreement's code, titles and summaries (every language), cleaned like every search
    document (``organizations_search_clean``)."""

    function = "partnerships_agreement_document"
    output_field = TextField()
    leading = ("code",)
    translated = ("title", "summary")
