"""Reads of organisations through their agreements: they belong here, not in ``organizations``,
which must not know about agreements (the lower app; see ``[tool.importlinter]``)."""

from __future__ import annotations

from django.db.models import Exists, Model, OuterRef, QuerySet

from organizations.models import Organization
from partnerships.models import (
    Agreement,
    AgreementParty,
    Attendance,
    Signature,
    SigningEvent,
    Statement,
)


def partners_of(
    organization: Organization, queryset: QuerySet[Organization] | None = None
) -> QuerySet[Organization]:
    """The other parties of ``organization``'s published agreements (each once)."""
    organizations = Organization.objects.all() if queryset is None else queryset
    # The partners' ids are read first, as a list (one query over the parties' table): on freshly
    # loaded tables without statistics PostgreSQL planned both an EXISTS probed for every
    # organisation and, on PostgreSQL 15, the same as nested semi-joins (the count of partners)
    # as loops over every organisation, for minutes (CI).
    agreements = Agreement.objects.published().filter(parties__organization=organization)
    partner_ids = list(
        AgreementParty.objects.filter(agreement__in=agreements.values("pk"))
        .exclude(organization=organization)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return organizations.filter(pk__in=partner_ids)


def organizations_cooperating_with(region_ids: list[int]) -> list[int]:
    """The ids of the organisations party to a published agreement with another party that is
    registered in one of ``region_ids`` (a region's subtree): "who already cooperates there"
    (the organisation list's ``cooperates`` filter, organizations/filters.py). Read as a list,
    like :func:`partners_of`, so that the planner knows its size."""
    there = AgreementParty.objects.filter(
        agreement_id=OuterRef("agreement_id"), organization__region_id__in=region_ids
    ).exclude(organization_id=OuterRef("organization_id"))
    return list(
        AgreementParty.objects.filter(agreement__in=Agreement.objects.published().values("pk"))
        .filter(Exists(there))
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )


def first_rows_and_count[T: Model](queryset: QuerySet[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` rows of ``queryset`` and the number of all its rows. Fewer rows than
    ``limit`` are all of them, so their number is the count: no ``COUNT(*)`` query then."""
    rows = list(queryset[:limit])
    return rows, (len(rows) if len(rows) < limit else queryset.count())


def public_namings() -> tuple[QuerySet, ...]:
    """The public rows that name a person (a ``person`` foreign key each): signatures and
    attendance of public signing events, statements of published agreements — what the
    agreement pages show by name. For ``Person.objects.public(named_in=public_namings())``."""
    signings = SigningEvent.objects.public()
    return (
        Signature.objects.filter(signing_event__in=signings),
        Attendance.objects.filter(signing_event__in=signings),
        Statement.objects.filter(agreement__in=Agreement.objects.published()),
    )
