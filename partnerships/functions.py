"""The agreement search function of migration ``partnerships/0002_search`` as a Django expression.

Imports no models: ``partnerships/models.py`` uses it in ``Agreement.Meta.indexes``.
"""

from __future__ import annotations

from django.db.models import F, Func, TextField


class AgreementDocument(Func):
    """An agreement's code, titles and summaries (every language), cleaned like every search
    document (``organizations_search_clean``)."""

    function = "partnerships_agreement_document"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(
            F("code"),
            F("title_en"),
            F("title_de"),
            F("title_ja"),
            F("summary_en"),
            F("summary_de"),
            F("summary_ja"),
            **extra,
        )
