"""The query parameters of each list: validated (a bad value is a 400 that says what is wrong,
never a silently ignored filter) and applied with the pages' own querysets and search code.

Each filter set is a DRF serializer over ``request.query_params``; drf-spectacular documents its
fields as the operation's query parameters.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import language_codes
from organizations import search as site_search
from organizations.models import FocusArea, Organization, Region
from partnerships.forms import EXPIRING_CHOICES, PUBLIC_STATUSES
from partnerships.models import (
    Agreement,
    AgreementParty,
    Document,
    SigningEvent,
)
from partnerships.search import matching_agreements
from portal.api import sync

if TYPE_CHECKING:
    from partnerships.models import AgreementsWithStatus

LANGUAGES = language_codes()
ALL_LANGUAGES = "all"


@extend_schema_field(OpenApiTypes.STR)
class LookupField(serializers.Field):
    """Text that names a row, up to ``max_length`` characters; ``lookup`` finds the row."""

    max_length = 200

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(_("Give a value."))
        if "\x00" in data:
            raise serializers.ValidationError(_("Null characters are not allowed."))
        if len(data) > self.max_length:
            raise serializers.ValidationError(
                _("At most %(count)d characters.") % {"count": self.max_length}
            )
        return self.lookup(data.strip())

    def lookup(self, value: str) -> Any:
        raise NotImplementedError

    def to_representation(self, value: Any) -> str:
        return str(value)


class RegionField(LookupField):
    """A region by slug (``bavaria``) or ISO 3166 code (``DE-BY``), or a name the region search
    resolves unambiguously; filters include every region below it."""

    def lookup(self, value: str) -> Region:
        region, suggestions = site_search.resolve_region(value)
        if region is None:
            if suggestions:
                names = ", ".join(r.iso_code or r.slug for r in suggestions[:5])
                raise serializers.ValidationError(
                    _("Ambiguous region: did you mean one of %(names)s?") % {"names": names}
                )
            raise serializers.ValidationError(
                _("Unknown region: give a region's slug or ISO 3166 code.")
            )
        return region


class CountryField(LookupField):
    """A country by ISO 3166-1 alpha-2 code (``DE``) or slug (``germany``)."""

    max_length = 120

    def lookup(self, value: str) -> Region:
        country = (
            Region.objects.filter(kind=Region.Kind.COUNTRY).filter(iso_code=value.upper()).first()
        ) or Region.objects.filter(kind=Region.Kind.COUNTRY, slug=value.lower()).first()
        if country is None:
            raise serializers.ValidationError(
                _("Unknown country: give an ISO 3166-1 alpha-2 code (DE) or a country's slug.")
            )
        return country


class OrganizationField(LookupField):
    """An organisation by id or slug."""

    max_length = 120

    def lookup(self, value: str) -> Organization:
        organizations = Organization.objects.all()
        found = (
            organizations.filter(pk=int(value)).first()
            if value.isdecimal() and len(value) < 19
            else organizations.filter(slug=value).first()
        )
        if found is None:
            raise serializers.ValidationError(
                _("Unknown organisation: give an organisation's id or slug.")
            )
        return found


class FocusAreaField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="slug",
            queryset=FocusArea.objects.all(),
            required=False,
            help_text=_("A focus area's slug."),
            **kwargs,
        )


def modified_since_field() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        required=False,
        help_text=_(
            "ISO 8601 date and time: only rows that changed since then (their own fields or "
            "what they embed). Rows deleted or no longer public since then are listed by "
            "/api/v1/changes/."
        ),
    )


class LanguageFilter(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=[*LANGUAGES, ALL_LANGUAGES],
        required=False,
        help_text=_(
            "Language of translated fields (default: from Accept-Language, else English). "
            "'all': English in the fields, and every language in 'translations'."
        ),
    )


class Filter(serializers.Serializer):
    """A list's filters; ``apply`` narrows the queryset by the validated values."""

    resource = ""
    modified_since = modified_since_field()

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        if since := values.get("modified_since"):
            queryset = queryset.filter(sync.changed_since(self.resource, since))
        return queryset


def _in_region(queryset: QuerySet, field: str, region: Region | None) -> QuerySet:
    if region is None:
        return queryset
    return queryset.filter(**{f"{field}__in": Region.objects.subtree_id_list(region)})


class RegionFilter(Filter):
    resource = "regions"
    kind = serializers.ChoiceField(choices=Region.Kind.choices, required=False)
    parent = RegionField(help_text=_("Direct children of this region (slug or ISO code)."))
    within = RegionField(help_text=_("This region and every region below it (slug or ISO code)."))

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        queryset = super().apply(queryset, values)
        if kind := values.get("kind"):
            queryset = queryset.filter(kind=kind)
        if parent := values.get("parent"):
            queryset = queryset.filter(parent=parent)
        return _in_region(queryset, "pk", values.get("within"))


class OrganizationFilter(Filter):
    resource = "organizations"
    q = serializers.CharField(
        required=False,
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text, matched as the organisation search matches it."),
    )
    region = RegionField(help_text=_("Registered in this region or below (slug or ISO code)."))
    country = CountryField(help_text=_("Registered in this country (ISO code or slug)."))
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, required=False)
    focus = FocusAreaField()
    archived = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: archived organisations only; false: active ones only; unset: both."),
    )

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        queryset = super().apply(queryset, values)
        queryset = _in_region(queryset, "region_id", values.get("region"))
        queryset = _in_region(queryset, "region_id", values.get("country"))
        if kind := values.get("kind"):
            queryset = queryset.filter(kind=kind)
        if focus := values.get("focus"):
            queryset = queryset.filter(focus_areas=focus)
        if values.get("archived") is not None:
            queryset = queryset.filter(is_archived=values["archived"])
        if q := values.get("q"):
            queryset = site_search.organization_text_filter(queryset, site_search.parse_query(q))
        return queryset


class PersonFilter(Filter):
    resource = "people"
    q = serializers.CharField(
        required=False,
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text, matched against names as the site search matches it."),
    )
    organization = OrganizationField(
        help_text=_("With a public contact point at this organisation (id or slug).")
    )

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        from organizations.models import Affiliation

        queryset = super().apply(queryset, values)
        if organization := values.get("organization"):
            queryset = queryset.filter(
                Exists(
                    Affiliation.objects.publishable().filter(
                        person=OuterRef("pk"), organization=organization
                    )
                )
            )
        if q := values.get("q"):
            query = site_search.parse_query(q)
            if not query.is_empty:
                queryset = queryset.filter(site_search.matching_people(query))
        return queryset


class AgreementFilter(Filter):
    """Filters of the agreement list page (partnerships/forms.py), strict: a bad value is a 400."""

    resource = "agreements"
    q = serializers.CharField(
        required=False,
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text: code, title, summary or a party's name, as the site search matches."),
    )
    region = RegionField(help_text=_("With a party in this region or below (slug or ISO code)."))
    country = CountryField(help_text=_("With a party in this country (ISO code or slug)."))
    organization = OrganizationField(help_text=_("With this organisation as a party (id or slug)."))
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES, required=False)
    focus = FocusAreaField()
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2100, help_text=_("Year signed.")
    )
    expiring = serializers.ChoiceField(
        choices=EXPIRING_CHOICES,
        required=False,
        help_text=_(
            "Whose current term ends within this many months (with automatic renewal: the "
            "next end of term); neither terminated nor superseded."
        ),
    )

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        queryset = cast("AgreementsWithStatus", super().apply(queryset, values))
        for key in ("region", "country"):
            if region := values.get(key):
                queryset = queryset.involving_regions(Region.objects.subtree_id_list(region))
        if organization := values.get("organization"):
            queryset = queryset.involving_organization(organization)
        if kind := values.get("kind"):
            queryset = queryset.filter(kind=kind)
        if status := values.get("status"):
            queryset = queryset.filter(current_status=status)
        if focus := values.get("focus"):
            queryset = queryset.filter(focus_areas=focus)
        if year := values.get("year"):
            queryset = queryset.filter(
                signed_on__gte=datetime.date(year, 1, 1),
                signed_on__lt=datetime.date(year + 1, 1, 1),
            )
        if expiring := values.get("expiring"):
            queryset = queryset.expiring_within(expiring)
        if q := values.get("q"):
            query = site_search.parse_query(q)
            if not query.is_empty:
                queryset = queryset.filter(pk__in=matching_agreements(query).values("pk"))
        return queryset


class EventFilter(Filter):
    resource = "events"
    region = RegionField(help_text=_("Held in this region or below (slug or ISO code)."))
    country = CountryField(help_text=_("Held in this country (ISO code or slug)."))
    organization = OrganizationField(
        help_text=_("Organised by this organisation, or where it signed an agreement (id or slug).")
    )
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2100, help_text=_("Year the event starts.")
    )

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        queryset = super().apply(queryset, values)
        queryset = _in_region(queryset, "region_id", values.get("region"))
        queryset = _in_region(queryset, "region_id", values.get("country"))
        if organization := values.get("organization"):
            signed_there = SigningEvent.objects.public().filter(
                occasion=OuterRef("pk"),
                agreement__in=AgreementParty.objects.filter(organization=organization).values(
                    "agreement_id"
                ),
            )
            queryset = queryset.filter(Exists(signed_there) | Q(organizer=organization))
        if year := values.get("year"):
            queryset = queryset.filter(
                starts_on__gte=datetime.date(year, 1, 1),
                starts_on__lt=datetime.date(year + 1, 1, 1),
            )
        return queryset


class DocumentFilter(Filter):
    resource = "documents"
    agreement = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text=_("The agreement's id.")
    )
    kind = serializers.ChoiceField(
        choices=Document.Kind.choices,
        required=False,
    )

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        queryset = super().apply(queryset, values)
        if agreement := values.get("agreement"):
            queryset = queryset.filter(agreement_id=agreement)
        if kind := values.get("kind"):
            queryset = queryset.filter(kind=kind)
        return queryset


class ChangesFilter(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text=_("ISO 8601 date and time: what was deleted or stopped being public since.")
    )
