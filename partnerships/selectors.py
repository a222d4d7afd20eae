"""Reads of organisations through their agreements: they belong here, not in ``organizations``,
which must not know about agreements (the lower app; see ``[tool.importlinter]``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from organizations.models import Organization
from partnerships.models import Agreement


def organizations_with_published_agreements(
    queryset: QuerySet[Organization] | None = None,
) -> QuerySet[Organization]:
    """Organisations that are a party to at least one published agreement (each once)."""
    organizations = Organization.objects.all() if queryset is None else queryset
    published = Agreement.objects.published().filter(parties__organization=OuterRef("pk"))
    return organizations.filter(Exists(published))


def partners_of(
    organization: Organization, queryset: QuerySet[Organization] | None = None
) -> QuerySet[Organization]:
    """The other parties of ``organization``'s published agreements (each once)."""
    organizations = Organization.objects.all() if queryset is None else queryset
    shared = (
        Agreement.objects.published()
        .filter(parties__organization=organization)
        .filter(parties__organization=OuterRef("pk"))
    )
    return organizations.filter(Exists(shared)).exclude(pk=organization.pk)
