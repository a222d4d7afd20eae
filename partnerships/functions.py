"""The agreement search function of migration ``partnerships/0002_search`` as a Django expression.

Imports no models: ``partnerships/models.py`` uses it in ``Agreement.Meta.indexes``.
"""

from __future__ import annotations

from django.db.models import DateField, F, Func, IntegerField, TextField

from core.languages import language_fields


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


class AddMonths(Func):
    """``start`` (a date) moved by ``months`` whole months, in SQL, as
    :func:`partnerships.models.add_months`: PostgreSQL's ``date + interval`` keeps the month's
    last day (31 January + 1 month = 28 or 29 February). NULL when either is NULL."""

    output_field = DateField()
    # CAST(start + make_interval(months => CAST(months AS integer)) AS date)
    template = "CAST(%(expressions)s AS integer)) AS date)"
    arg_joiner = " + make_interval(months => CAST("

    def __init__(self, start, months, **extra):
        super().__init__(start, months, **extra)


class AddDays(Func):
    """``day`` (a date) plus ``days`` (an integer) days, a date: PostgreSQL's ``date + integer``."""

    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def __init__(self, day, days, **extra):
        super().__init__(day, days, **extra)


class MonthNumber(Func):
    """A date's month counted from year 0 (``year * 12 + month - 1``), an integer: the
    difference of two is the number of calendar months between them."""

    output_field = IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer) * 12"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS integer) - 1)"
    )

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        sql, params = super().as_sql(compiler, connection, function, template, arg_joiner, **extra)
        return sql, (*params, *params)  # the template names the date twice
