"""People search (site search): people with a publishable (public, current) affiliation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q

from organizations.functions import PersonDocument, SearchTerms
from organizations.models import Affiliation, Person
from organizations.search.query import RESULT_CAP, ParsedQuery, text_conditions

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class PublicAffiliations(TypedDict):
        public_affiliations: list[Affiliation]

    # A person as :func:`search_people` returns it.
    type PersonWithAffiliations = WithAnnotations[Person, PublicAffiliations]


def person_document() -> PersonDocument:
    """The expression of the organizations_person_* indexes (``Person.Meta.indexes``)."""
    return PersonDocument()


def search_people(
    query: ParsedQuery, *, limit: int = 10
) -> tuple[list[PersonWithAffiliations], int]:
    """People with a public affiliation whose name matches; the first ``limit`` and a capped
    count."""
    if query.is_empty:
        return [], 0
    people = Person.objects.active().public().filter(matching_people(query))
    count = people.order_by().values("pk")[: RESULT_CAP + 1].count()
    rows = list(
        people.order_by("family_name", "given_name", "pk").prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.publishable()
                .select_related("organization")
                .order_by("organization__name_en"),
                to_attr="public_affiliations",
            )
        )[:limit]
    )
    return rows, count


def matching_people(query: ParsedQuery) -> Q:
    """The condition on people whose name matches ``query``: the site search and the API
    (``portal/api``) filter through it."""
    document = person_document()
    return Q(*text_conditions(query, document=document, terms=SearchTerms(document)))
