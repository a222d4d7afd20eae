"""Agreement search (site search): published agreements by code, title, summary or party name.

Matching and normalisation are the organisation search's (``organizations.search``); the
agreement document and its indexes are this app's (migration ``partnerships/0002_search``).
"""

from __future__ import annotations

from django.db.models import F, Func, TextField, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from core.languages import language_codes, language_fields
from organizations.functions import SearchClean, SearchTerms
from organizations.models import Organization
from organizations.search import RESULT_CAP, ParsedQuery, exact_name_condition, text_conditions
from partnerships.functions import AgreementDocument
from partnerships.models import Agreement, AgreementParty, AgreementQuerySet, Event


def agreement_document() -> AgreementDocument:
    """The expression of the partnerships_agreement_* indexes (``Agreement.Meta.indexes``)."""
    return AgreementDocument(languages=language_codes())


def search_agreements(
    query: ParsedQuery, *, limit: int = 10, parties_by_exact_name: bool = False
) -> tuple[list[Agreement], int]:
    """Published agreements whose code, title or summary matches, or one of whose parties is
    named by the query; the first ``limit`` and a capped count.

    ``parties_by_exact_name``: the query names very many organisations (a broad term such as
    "cluster"); find agreements only through parties whose name is exactly the query.
    """
    if query.is_empty:
        return [], 0
    agreements = matching_agreements(query, parties_by_exact_name=parties_by_exact_name)
    count = agreements.order_by().values("pk")[: RESULT_CAP + 1].count()
    rows = list(agreements.for_listing()[:limit])
    return rows, count


def matching_agreements(
    query: ParsedQuery, *, parties_by_exact_name: bool = False
) -> AgreementQuerySet:
    """Published agreements matching ``query`` (see :func:`search_agreements`), unordered and
    uncut: the site search and the API (``portal/api``) filter through it."""
    document = agreement_document()
    terms = SearchTerms(document)
    if parties_by_exact_name:
        party_organizations = Organization.objects.filter(exact_name_condition(query.phrase))
    else:
        party_organizations = Organization.objects.filter(
            *text_conditions(
                query, document=F("search_names"), terms=F("search_terms"), recheck_terms=True
            )
        )
    by_text = Agreement.objects.filter(*text_conditions(query, document=document, terms=terms))
    by_party = AgreementParty.objects.filter(organization__in=party_organizations)
    # One indexed UNION, not an OR of two conditions over the whole table.
    matching = by_text.order_by().values("pk").union(by_party.order_by().values("agreement_id"))
    return Agreement.objects.published().filter(pk__in=matching)


def search_events(query: ParsedQuery, *, limit: int = 5) -> list[Event]:
    """Public events whose name (any language) holds every word of ``query``, the newest first:
    for the site search. Events are few (a portal's fairs and conferences): the names are
    cleaned and searched in the query, without an index of their own."""
    if query.is_empty:
        return []
    names = Func(
        *(F(name) for name in language_fields("name")),
        function="concat_ws",
        template="%(function)s(' ', %(expressions)s)",
        output_field=TextField(),
    )
    document = SearchClean(names)
    conditions = [GreaterThan(StrIndex(document, Value(token.text)), 0) for token in query.tokens]
    return list(
        Event.objects.public()
        .filter(*conditions)
        .select_related("region")
        .order_by("-starts_on", "pk")[:limit]
    )
