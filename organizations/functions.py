"""The search functions of migration ``organizations/0001_squashed_0002_search`` as expressions.

One class per SQL function, so that queries (``organizations/search/``) and the expression
indexes in ``Meta.indexes`` are written once, and ``makemigrations`` sees the indexes.

This module imports no models: ``organizations/models/`` imports it for its indexes (a module
inside the ``organizations.search`` package would import the models back through the package).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Func, TextField, Value
from modeltranslation.utils import build_localized_fieldname

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


class LanguageColumnsFunc(Func):
    """A document function over some columns in every language, plus a few plain ones.

    ``languages`` (default: the portal's, ``settings.LANGUAGES``) is part of the expression as
    migrations record it, so that adding a language shows ``makemigrations`` that the index over
    the expression must be rebuilt. Without it (``RegionDocument()``, as the migrations written
    before French record it), the columns are those the model of that migration has: the index
    a migration builds matches the columns of its day. The SQL functions take any number of
    texts (``VARIADIC``), so no function changes with the languages.
    """

    translated: tuple[str, ...] = ()
    leading: tuple[str, ...] = ()
    trailing: tuple[str, ...] = ()

    def __init__(self, *, languages: tuple[str, ...] | list[str] | None = None, **extra):
        self.languages = tuple(languages) if languages is not None else None
        super().__init__(*(F(column) for column in self.columns(self.languages)), **extra)

    def columns(self, languages: tuple[str, ...] | None) -> list[str]:
        translated = (
            [build_localized_fieldname(f, code) for f in self.translated for code in languages]
            if languages is not None
            else [column for f in self.translated for column in language_fields(f)]
        )
        return [*self.leading, *translated, *self.trailing]

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        if self.languages is None and query is not None:
            # A migration's historical model: only the language columns it has.
            existing = {field.name for field in query.model._meta.get_fields()}
            clone = self.copy()
            clone.set_source_expressions(
                [F(column) for column in self.columns(None) if column in existing]
            )
            return Func.resolve_expression(clone, query, allow_joins, reuse, summarize, for_save)
        return super().resolve_expression(query, allow_joins, reuse, summarize, for_save)


class RegionDocument(LanguageColumnsFunc):
    """A region's names (every language), aliases and ISO code, cleaned."""

    function = "organizations_region_document"
    output_field = TextField()
    translated = ("name",)
    trailing = ("aliases", "iso_code")


class PersonDocument(Func):
    """A person's given, family and native names and the reading of the native one, cleaned."""

    function = "organizations_person_document"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(
            F("given_name"), F("family_name"), F("native_name"), F("native_name_reading"), **extra
        )


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
