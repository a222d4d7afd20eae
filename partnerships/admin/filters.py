"""The list filters of the agreement and event lists."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.access import is_administrator, managed_organization_ids
from organizations.admin import RegionListFilter
from partnerships.forms import EXPIRING_CHOICES
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementQuerySet,
)


class EventRegionListFilter(RegionListFilter):
    region_lookup = "region"


class StatusListFilter(admin.SimpleListFilter):
    """The derived status (in force, expired …), filtered in SQL on ``current_status``."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return list(Agreement.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in Agreement.Status.values:
            return queryset.filter(current_status=self.value())
        return queryset


class ExpiringListFilter(admin.SimpleListFilter):
    """Current term ending within 3, 6 or 12 months (with automatic renewal: the next end of
    term), neither terminated nor superseded: :meth:`AgreementQuerySet.expiring_within`, the
    rule of the public list's filter. The list is then sorted by end of term
    (:meth:`AgreementAdmin.get_ordering`)."""

    title = _("term ends")
    parameter_name = "expiring"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [(str(months), label) for months, label in EXPIRING_CHOICES]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        months = {str(months): months for months, _label in EXPIRING_CHOICES}.get(
            self.value() or ""
        )
        if months is None:
            return queryset
        return cast(AgreementQuerySet, queryset).expiring_within(months)


class SigningYearListFilter(admin.SimpleListFilter):
    title = _("year signed")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        years = model_admin.get_queryset(request).dates("signed_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(signed_on__year=int(value))
        return queryset


class AwaitingApprovalListFilter(admin.SimpleListFilter):
    """In review, still without an approval of the current key terms from a party the user
    manages (an administrator who manages none: from any party)."""

    title = _("approval")
    parameter_name = "awaiting"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("me", _("Waiting for my approval"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "me":
            return queryset
        managed = managed_organization_ids(request.user)
        if not managed and is_administrator(request.user):
            return cast(AgreementQuerySet, queryset).awaiting_approval()
        return cast(AgreementQuerySet, queryset).awaiting_approval(managed)


class MyOrganizationsListFilter(admin.SimpleListFilter):
    """Agreements a managed organisation is a party to (a manager also sees every published
    agreement in the list; the dashboard's counts link here). A manager's list opens on their
    organisations' agreements; "All I may see" (``party=all``) adds the others' published ones."""

    title = _("party")
    parameter_name = "party"

    def __init__(self, request: HttpRequest, params, model, model_admin) -> None:
        self.default_mine = bool(managed_organization_ids(request.user))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        if not managed_organization_ids(request.user):
            return []
        return [("mine", _("My organisations")), ("all", _("All I may see"))]

    def value(self) -> str | None:
        value = super().value()
        if value is None and self.default_mine:
            return "mine"
        return value

    def choices(self, changelist):
        # No "All" entry that removes the parameter: without it, the list is "mine".
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "mine":
            return queryset
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"),
                    organization_id__in=managed_organization_ids(request.user),
                )
            )
        )


class PartyRegionListFilter(RegionListFilter):
    title = _("region of a party")
    region_lookup = "parties__organization__region"
