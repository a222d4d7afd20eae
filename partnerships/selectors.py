"""Reads of organisations through their agreements: they belong here, not in ``organizations``,
which must not know about agreements (the lower app; see ``[tool.importlinter]``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet

from organizations.models import Organization, Region
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


PARTNER_COUNTRIES_SHOWN = 5


@dataclass
class Cooperation:
    """An organisation's cooperation signal in result lists: its published agreements, how
    many of them are in force today, and the countries of its partners (by name)."""

    agreement_count: int = 0
    in_force_count: int = 0
    partner_countries: list[Region] = field(default_factory=list)

    @property
    def countries_shown(self) -> list[Region]:
        return self.partner_countries[:PARTNER_COUNTRIES_SHOWN]

    @property
    def more_countries(self) -> int:
        return max(0, len(self.partner_countries) - PARTNER_COUNTRIES_SHOWN)


def attach_cooperation(organizations: Iterable[Organization]) -> None:
    """Set ``organization.cooperation`` (a :class:`Cooperation`) on each of a result page's
    ``organizations``, in three queries whatever their number: the counts of their published
    agreements (and of those in force), their partners' regions, those regions' countries.
    Registered with ``organizations.results`` (PartnershipsConfig.ready)."""
    organizations = list(organizations)
    ids = [organization.pk for organization in organizations]
    published = Agreement.objects.published()
    counts: dict[int, tuple[int, int]] = {
        row["parties__organization_id"]: (row["total"], row["in_force"])
        for row in published.with_status()
        .filter(parties__organization_id__in=ids)
        .order_by()
        .values("parties__organization_id")
        .annotate(
            total=Count("pk", distinct=True),
            in_force=Count("pk", filter=Q(current_status=Agreement.Status.IN_FORCE), distinct=True),
        )
    }
    pairs = list(
        AgreementParty.objects.filter(
            agreement__parties__organization_id__in=ids,
            agreement__in=published.values("pk"),
        )
        .exclude(organization_id=F("agreement__parties__organization_id"))
        .order_by()
        .values_list("agreement__parties__organization_id", "organization__region_id")
        .distinct()
    )
    countries = Region.objects.countries_of(region for _org, region in pairs)
    partner_countries: dict[int, dict[int, Region]] = {}
    for organization_id, region_id in pairs:
        country = countries.get(region_id)
        if country is not None:
            partner_countries.setdefault(organization_id, {})[country.pk] = country
    for organization in organizations:
        total, in_force = counts.get(organization.pk, (0, 0))
        organization.cooperation = Cooperation(  # type: ignore[attr-defined]  # set for the page
            agreement_count=total,
            in_force_count=in_force,
            partner_countries=sorted(
                partner_countries.get(organization.pk, {}).values(), key=lambda c: str(c.name)
            ),
        )
