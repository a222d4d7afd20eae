"""The search functions of migration ``organizations/0001_squashed_0002_search`` as expressions.

One class per SQL function, so that queries (``organizations/search/``) and the expression
indexes in ``Meta.indexes`` are written once, and ``makemigrations`` sees the indexes.

This module imports no models: ``organizations/models/`` imports it for its indexes (a module
inside the ``organizations.search`` package would import the models back through the package).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Func, TextField, Value

from core.languages import language_fields

TEXT_ARRAY = ArrayField(TextField())


class SearchNormalize(Func):
    """NFKC, unaccent, lower case: ``organizations_search_normalize(text)``."""

    function = "organizations_search_normalize"
    output_field = TextField()


class SearchClean(Func):
    """Normalised, with German transliterations added and punctuation turned into spaces."""

    function = "organizations_search_clean"
    output_field = TextField()


class SearchTerms(Func):
    """The 1–2 character words and CJK unigrams/bigrams of a cleaned document."""

    function = "organizations_search_terms"
    output_field = TEXT_ARRAY


class RegionDocument(Func):
    """A region's names (every language), aliases and ISO code, cleaned."""

    function = "organizations_region_document"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(
            *(F(name) for name in language_fields("name")), F("aliases"), F("iso_code"), **extra
        )


class PersonDocument(Func):
    """A person's given, family and native names, cleaned."""

    function = "organizations_person_document"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(F("given_name"), F("family_name"), F("native_name"), **extra)


class OrganizationNames(Func):
    """An organisation's normalised names as an array: ``search_names`` (``|a|b|``) split."""

    function = "string_to_array"
    output_field = TEXT_ARRAY

    def __init__(self, **extra):
        super().__init__(
            Func(F("search_names"), Value("|"), function="btrim", output_field=TextField()),
            Value("|"),
            **extra,
        )
