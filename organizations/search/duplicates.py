"""Duplicate organisations: the same name in the same country, compared as search compares.

Used by the spreadsheet import (``organizations/imports.py``). Names are normalised by the search
normaliser (``organizations_search_normalize``: NFKC, unaccented, lower case), then the German
transliterations are folded back (``ae``/``oe``/``ue`` → ``a``/``o``/``u``), so that "München",
"Muenchen", "MUNCHEN" and "Munchen" are one name. The folding is applied to both sides, so two
names differ only if they differ in more than the letter e after a, o or u (a false duplicate
such as "Michael"/"Michal" needs both names, in the same country, to be otherwise equal).

Every full name of an organisation counts: English, German and Japanese, and the legal name
(not the short name: many chambers of commerce are an "IHK").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Expression, F, Func, Q, TextField, Value

from core.languages import language_fields
from organizations.functions import SearchNormalize
from organizations.models import Organization, Region

NAME_FIELDS = (*language_fields("name"), "legal_name")


class NameKey(Func):
    """The comparison key of a name: normalised, with ae/oe/ue folded to a/o/u."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression: Expression | F, **extra):
        super().__init__(
            SearchNormalize(expression), Value("([aou])e"), Value("\\1"), Value("g"), **extra
        )


def country_of(region: Region) -> Region:
    """The country above ``region`` (the root of its tree; itself for a country). One query."""
    chain = Region.objects.breadcrumb(region)
    return chain[0] if chain else region


def same_name_in_country(
    names: Iterable[str], region: Region, *, exclude_pk: int | None = None
) -> Organization | None:
    """An organisation in ``region``'s country with one of ``names`` (as keys), or None.

    Two queries: the country, then the organisations of its subtree whose name keys meet."""
    wanted = [name for name in dict.fromkeys(n.strip() for n in names) if name]
    if not wanted:
        return None
    country = country_of(region)
    keys = [NameKey(Value(name)) for name in wanted]
    condition = Q()
    for field in NAME_FIELDS:
        for key in keys:
            condition |= Q(**{f"_key_{field}": key})
    candidates = (
        Organization.objects.filter(region__in=Region.objects.subtree_ids(country))
        .alias(**{f"_key_{field}": NameKey(F(field)) for field in NAME_FIELDS})
        .filter(condition)
        .order_by("pk")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.first()
