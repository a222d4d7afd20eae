"""Search: the one place that turns what a visitor typed into database queries.

Used by the organisation list, the site-wide search (``portal``) and the region picker (and
later the API). PostgreSQL does the matching, with the functions, triggers and indexes of
migration ``organizations/0001_squashed_0002_search`` (indexes declared in ``Meta.indexes``):

* Every organisation carries a normalised ``search_document`` (names in every language, short and
  legal name, descriptions, focus areas, and the names and aliases of its region, the regions
  above it and the macro-regions that include them), ``search_names`` (``|name|short|legal|``)
  and ``search_terms`` (1–2 character words, CJK unigrams and bigrams). Triggers keep them right.
* Normalisation (NFKC, unaccent, lower case, German transliteration ü → ue) happens in SQL, in
  ``organizations_search_normalize``/``organizations_search_clean``, for documents and queries
  alike, so that both sides agree whatever the database locale.
* A query is split into tokens; every token must match (AND):

  - a Latin token of 3+ characters: ``document LIKE '%token%'``, served by a trigram GIN index;
  - a 1–2 character Latin token: the whole word, ``terms @> ARRAY[token]`` (GIN);
  - a CJK token (Japanese has no spaces): its bigrams, ``terms @> ARRAY['大阪', '阪府']`` (GIN),
    plus ``strpos(document, token) > 0`` for tokens longer than two characters.

* Ranking: the whole query equal to a name, then a name starting a word with it, then all tokens
  in the names, then everything else (descriptions, focus areas, regions); then by name.
* Broad terms (``cluster``) are capped: counting stops at ``RESULT_CAP``; past the cap results are
  the exact name matches followed by the rest in name order, which walks the name index instead
  of ranking every row.
* A query with no results is corrected word by word against the vocabulary of indexed words
  (``SearchWord``, trigram similarity on a small table): "Headquaters" → "headquarters".

The package, one idea per module:

* ``query``: what the visitor typed, cleaned, tokenised and normalised; the matching conditions;
* ``organizations``: organisation search (ranking, cap, correction);
* ``regions``: the region picker and region resolution;
* ``people``: people for the site search;
* ``highlight``: ``<mark>`` around matches, folded like the database folds.

The SQL functions are wrapped as ``Func`` classes in ``organizations/functions.py``. Agreement
search lives in ``partnerships/search.py``, the site search page in ``portal/``.
"""

from organizations.search.highlight import highlight, match_spans, snippet
from organizations.search.organizations import (
    SEARCH_COLUMNS,
    OrganizationResults,
    OrganizationSearch,
    exact_name_condition,
    nearest_words,
    organization_label,
    organization_names,
    organization_rank,
    organization_text_filter,
    resolve_organization,
    search_organizations,
    sort_name,
    suggest_corrections,
)
from organizations.search.people import matching_people, person_document, search_people
from organizations.search.query import (
    MAX_QUERY_CHARS,
    MAX_TOKEN_CHARS,
    MAX_TOKENS,
    RESULT_CAP,
    ParsedQuery,
    Token,
    clean_input,
    normalize_many,
    parse_query,
    text_conditions,
)
from organizations.search.regions import (
    region_document,
    region_label,
    region_terms,
    resolve_region,
    search_regions,
    suggest_regions,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TOKENS",
    "MAX_TOKEN_CHARS",
    "RESULT_CAP",
    "SEARCH_COLUMNS",
    "OrganizationResults",
    "OrganizationSearch",
    "ParsedQuery",
    "Token",
    "clean_input",
    "exact_name_condition",
    "highlight",
    "match_spans",
    "matching_people",
    "nearest_words",
    "normalize_many",
    "organization_label",
    "organization_names",
    "organization_rank",
    "organization_text_filter",
    "parse_query",
    "person_document",
    "region_document",
    "region_label",
    "region_terms",
    "resolve_organization",
    "resolve_region",
    "search_organizations",
    "search_people",
    "search_regions",
    "snippet",
    "sort_name",
    "suggest_corrections",
    "suggest_regions",
    "text_conditions",
]
