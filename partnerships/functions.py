"""The agreement search function of migration ``partnerships/0002_search`` as a Django expression.

Imports no models: ``partnerships/models.py`` uses it in ``Agreement.Meta.indexes``.
"""

from __future__ import annotations

from django.db.models import DateField, F, Func, TextField


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


class TermEnd(Func):
    """The last day of a term of ``months`` months from ``start`` (a date), in SQL: the day
    before the same day ``months`` later, as :attr:`partnerships.models.Agreement.term_end`
    counts it (PostgreSQL's ``date + interval`` keeps the month's last day, as ``add_months``).
    NULL when either is NULL."""

    output_field = DateField()
    # (CAST(start + make_interval(months => CAST(months AS integer)) AS date) - 1)
    template = "(CAST(%(expressions)s AS integer)) AS date) - 1)"
    arg_joiner = " + make_interval(months => CAST("

    def __init__(self, start, months, **extra):
        super().__init__(start, months, **extra)
