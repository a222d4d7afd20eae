"""The query parameters of each list: validated (a bad value is a 400 that says what is wrong,
never a silently ignored filter) and applied with the pages' own querysets and search code.

Every list has one django-filter ``FilterSet``, applied by DRF's ``DjangoFilterBackend`` and
documented by drf-spectacular (``documented`` keeps the DRF field a parameter was documented
as): the agreement and organisation lists extend the pages' own sets (partnerships/filters.py,
organizations/filters.py); the region, people, event and document lists, which no page filters,
have theirs here (``ApiFilterSet``). A bad value is answered in DRF's words, the errors in the
order of the parameters (tests/portal/test_api_filters.py holds the answers the former
serializer filters gave). ``lang`` and the changes endpoint's ``since`` stay serializers: they
filter no list.
"""

from __future__ import annotations

import copy
import datetime
from typing import TYPE_CHECKING, Any

import django_filters  # type: ignore[import-untyped]  # no stubs
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import ErrorDict
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import language_codes
from organizations import profiles
from organizations import search as site_search
from organizations.filters import OrganizationFilterSet
from organizations.models import Affiliation, Organization, Person, Region
from partnerships import filters as agreement_filters
from partnerships.forms import GIVE_A_VALUE, ResolvedField, ResolvingFilterForm
from partnerships.models import (
    Agreement,
    AgreementParty,
    Document,
    Event,
    SigningEvent,
)
from partnerships.search import matching_agreements
from portal.api import sync

if TYPE_CHECKING:
    from partnerships.models import AgreementsWithStatus

LANGUAGES = language_codes()
ALL_LANGUAGES = "all"


def modified_since_field() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        required=False,
        help_text=_(
            "ISO 8601 date and time: only rows that changed since then (their own fields or "
            "what they embed). Rows deleted or no longer public since then are listed by "
            "/api/v1/changes/."
        ),
    )


# The query parameters that are plain text in the schema (no enum, no minimum length): an empty
# value is valid there (and filters nothing). Every other parameter is a number, a date, a
# choice or a non-empty text: empty is a 400, as is any parameter given twice (the schema has no
# list parameters). ``page_size`` is an integer (the paginator would silently ignore junk).
PLAIN_TEXT_PARAMETERS = frozenset(
    {
        "q",
        "region",
        "country",
        "organization",
        "focus",
        "parent",
        "within",
        "cursor",
        "target",  # the partner profile's region filters (organizations/filters.py)
        "cooperates",
    }
)
GIVE_ONCE = _("Give this parameter once.")


# ``q`` is any text (the schema says string): a NUL character, which no name holds and the
# database cannot compare, is read as a space rather than refused.
class SearchTextFormField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\x00", " ")


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextFormField


def check_query(params: Any) -> None:
    """Raise a ValidationError (400) for a parameter given twice or empty where the schema
    forbids it, and for a ``page_size`` that is no integer."""
    errors: dict[str, list[Any]] = {}
    for name, values in params.lists():
        if len(values) > 1:
            errors[name] = [GIVE_ONCE]
        elif values[0] == "" and name not in PLAIN_TEXT_PARAMETERS:
            errors[name] = [GIVE_A_VALUE]
    page_size = params.get("page_size")
    if page_size and "page_size" not in errors:
        try:
            int(page_size)
        except ValueError:
            errors["page_size"] = [serializers.IntegerField.default_error_messages["invalid"]]
    if errors:
        raise serializers.ValidationError(errors)


class LanguageFilter(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=[*LANGUAGES, ALL_LANGUAGES],
        required=False,
        help_text=_(
            "Language of translated fields (default: from Accept-Language, else English). "
            "'all': English in the fields, and every language in 'translations'."
        ),
    )


def _in_region(queryset: QuerySet, field: str, region: Region) -> QuerySet:
    """The rows whose ``field`` is ``region`` or a region below it."""
    return queryset.filter(**{f"{field}__in": Region.objects.subtree_id_list(region)})


UNKNOWN_COUNTRY = _("Unknown country: give an ISO 3166-1 alpha-2 code (DE) or a country's slug.")


def resolve_country(value: str) -> tuple[Region | None, list[Region]]:
    """A country by ISO 3166-1 alpha-2 code (``DE``) or slug (``germany``)."""
    countries = Region.objects.filter(kind=Region.Kind.COUNTRY)
    country = (
        countries.filter(iso_code=value.upper()).first()
        or countries.filter(slug=value.lower()).first()
    )
    return country, []


def resolve_organization(value: str) -> tuple[Organization | None, list[Organization]]:
    """An organisation by id or slug."""
    organizations = Organization.objects.all()
    found = (
        organizations.filter(pk=int(value)).first()
        if value.isdecimal() and len(value) < 19
        else organizations.filter(slug=value).first()
    )
    return found, []


def _drf_message(message: Any, **values: Any) -> Any:
    """DRF's message (``"{input}" is not a valid choice.``), translated when shown, as a
    Django form's message: the value given becomes ``%(value)s``. The API answers a bad
    parameter in the same words as DRF's own fields do (``lang``, ``since``)."""
    return lazy(lambda: str(message).format(input="%(value)s", value="%(value)s", **values), str)()


def _at_most(count: int | None) -> Any:
    return lazy(lambda: str(AT_MOST) % {"count": count}, str)()


def _drf_messages(field: forms.Field) -> dict[str, Any]:
    """The messages DRF's field of the same kind gives, for a Django form field."""
    if isinstance(field, ResolvedField):
        return {"max_length": _at_most(field.max_length)}
    if isinstance(field, forms.IntegerField):
        drf = serializers.IntegerField.default_error_messages
        return {
            "invalid": drf["invalid"],
            "min_value": _drf_message(drf["min_value"], min_value=field.min_value),
            "max_value": _drf_message(drf["max_value"], max_value=field.max_value),
        }
    if isinstance(field, forms.ModelChoiceField):
        message = serializers.SlugRelatedField.default_error_messages["does_not_exist"]
        return {"invalid_choice": _drf_message(message, slug_name=field.to_field_name)}
    if isinstance(field, forms.ChoiceField):
        return {
            "invalid_choice": _drf_message(
                serializers.ChoiceField.default_error_messages["invalid_choice"]
            )
        }
    if isinstance(field, forms.DateTimeField):
        message = serializers.DateTimeField.default_error_messages["invalid"]
        return {"invalid": _drf_message(message, format=ISO_8601_FORMAT)}
    if isinstance(field, forms.CharField):
        message = serializers.CharField.default_error_messages["max_length"]
        return {"max_length": _drf_message(message, max_length=field.max_length)}
    return {}


# DRF's description of the ISO 8601 date and time it reads (rest_framework.fields.DateTimeField).
ISO_8601_FORMAT = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"
AT_MOST = _("At most %(count)d characters.")


class ApiFilterSetMixin:
    """A list's FilterSet as the API uses it (``DjangoFilterBackend``): a bad value is a 400
    that says what is wrong, in DRF's words, never a silently ignored filter."""

    resource = ""
    filters: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for declared in self.filters.values():
            declared.field.error_messages.update(_drf_messages(declared.field))

    def filter_modified_since(self, queryset: QuerySet, name: str, since: datetime.datetime):
        return queryset.filter(sync.changed_since(self.resource, since))


# PostgreSQL reads a UTC offset of at most 15:59 either way; ISO 8601 (and the schema's
# date-time) allow up to 23:59. The moment is therefore handed over in UTC, whatever its offset:
# the same instant, which the database always reads (a moment before year 1 in UTC is year 1).
class ModifiedSinceField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time, as the same instant in UTC."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None or moment.utcoffset() is None:
            return moment
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            edge = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
            return edge.replace(tzinfo=datetime.UTC)


class ModifiedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = ModifiedSinceField


def modified_since_filter() -> django_filters.IsoDateTimeFilter:
    return ModifiedSinceFilter(
        method="filter_modified_since", help_text=modified_since_field().help_text
    )


def documented(**fields: serializers.Field) -> Any:
    """Document a FilterSet's parameters as these DRF fields: their types, limits, choices and
    help in the OpenAPI schema, as the API's serializers documented them (drf-spectacular reads
    a filter's ``extend_schema_field``). Only the schema: the FilterSet validates."""

    def decorate(filterset_class: Any) -> Any:
        for name, field in fields.items():
            # A copy: the page's FilterSet keeps its own filter objects.
            declared = copy.deepcopy(filterset_class.base_filters[name])
            filterset_class.base_filters[name] = extend_schema_field(field)(declared)
        return filterset_class

    return decorate


def region_filter(
    help_text: str | Promise, method: str = "filter_region"
) -> agreement_filters.ResolvedFilter:
    """``region``: a slug or ISO code, the region and everything below it (``filter_region``)."""
    return agreement_filters.ResolvedFilter(
        strip=False,  # spaces alone are "Give a value.", as the API always answered
        method=method,
        resolve=site_search.resolve_region,
        unknown=agreement_filters.UNKNOWN_REGION,
        ambiguous=agreement_filters.AMBIGUOUS_REGION,
        help_text=help_text,
    )


def country_filter(help_text: str | Promise) -> agreement_filters.ResolvedFilter:
    """``country``: an ISO code or slug of a country (``filter_region``)."""
    return agreement_filters.ResolvedFilter(
        strip=False,  # spaces alone are "Give a value.", as the API always answered
        method="filter_region",
        resolve=resolve_country,
        max_length=120,
        unknown=UNKNOWN_COUNTRY,
        help_text=help_text,
    )


def organization_filter(help_text: str | Promise) -> agreement_filters.ResolvedFilter:
    """``organization``: an organisation's id or slug (``filter_organization``)."""
    return agreement_filters.ResolvedFilter(
        strip=False,  # spaces alone are "Give a value.", as the API always answered
        method="filter_organization",
        resolve=resolve_organization,
        max_length=120,
        unknown=_("Unknown organisation: give an organisation's id or slug."),
        help_text=help_text,
    )


@documented(
    q=serializers.CharField(
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text: code, title, summary or a party's name, as the site search matches."),
    ),
    kind=serializers.ChoiceField(choices=Agreement.Kind.choices),
    status=serializers.ChoiceField(choices=agreement_filters.PUBLIC_STATUSES),
    focus=serializers.CharField(help_text=_("A focus area's slug.")),
    year=serializers.IntegerField(min_value=1900, max_value=2100, help_text=_("Year signed.")),
    expiring=serializers.ChoiceField(
        choices=agreement_filters.EXPIRING_CHOICES,
        help_text=_(
            "Whose current term ends within this many months (with automatic renewal: the "
            "next end of term); neither terminated nor superseded."
        ),
    ),
)
class ApiAgreementFilterSet(ApiFilterSetMixin, agreement_filters.AgreementFilterSet):
    """The agreement list page's filters (partnerships/filters.py), strict, with the API's
    text search, country and ``modified_since``, and organisations by id or slug."""

    resource = "agreements"
    modified_since = modified_since_filter()
    q = SearchTextFilter(
        method="filter_text",
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text: code, title, summary or a party's name, as the site search matches."),
    )
    region = region_filter(_("With a party in this region or below (slug or ISO code)."))
    country = country_filter(_("With a party in this country (ISO code or slug)."))
    organization = organization_filter(_("With this organisation as a party (id or slug)."))
    sort = None  # the API lists in id order, a page at a time

    def filter_text(self, queryset: AgreementsWithStatus, name: str, value: str):
        query = site_search.parse_query(value)
        if query.is_empty:
            return queryset
        return queryset.filter(pk__in=matching_agreements(query).values("pk"))


class ChangesFilter(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text=_("ISO 8601 date and time: what was deleted or stopped being public since.")
    )


class StrictNullBooleanField(forms.Field):
    """true/false as DRF's ``BooleanField(allow_null=True)`` reads them; anything else is an
    error (Django's ``NullBooleanField`` would read it as unset)."""

    def to_python(self, value: Any) -> bool | None:
        drf = serializers.BooleanField
        lowered = value.lower() if isinstance(value, str) else value
        if lowered in drf.TRUE_VALUES:
            return True
        if lowered in drf.FALSE_VALUES:
            return False
        if lowered in drf.NULL_VALUES:
            return None
        raise forms.ValidationError(
            serializers.BooleanField.default_error_messages["invalid"], code="invalid"
        )


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


@documented(
    q=serializers.CharField(
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text, matched as the organisation search matches it."),
    ),
    kind=serializers.ChoiceField(choices=Organization.Kind.choices),
    focus=serializers.CharField(help_text=_("A focus area's slug.")),
    target=serializers.CharField(
        help_text=_(
            "Looking for partners in this region or below (slug, ISO code or an unambiguous name)."
        )
    ),
    cooperates=serializers.CharField(
        help_text=_(
            "With agreements with partners in this region or below (slug, ISO code or an "
            "unambiguous name)."
        )
    ),
    language=serializers.ChoiceField(
        choices=sorted(code for code, _name in profiles.spoken_language_choices())
    ),
    archived=serializers.BooleanField(
        allow_null=True,
        help_text=_("true: archived organisations only; false: active ones only; unset: both."),
    ),
)
class ApiOrganizationFilterSet(ApiFilterSetMixin, OrganizationFilterSet):
    """The organisation list page's filters (organizations/filters.py), strict, with the
    API's text search, region, country, ``archived`` and ``modified_since``."""

    resource = "organizations"
    modified_since = modified_since_filter()
    q = SearchTextFilter(method="filter_text", max_length=site_search.MAX_QUERY_CHARS)
    region = region_filter(_("Registered in this region or below (slug or ISO code)."))
    country = country_filter(_("Registered in this country (ISO code or slug)."))
    archived = StrictBooleanFilter(field_name="is_archived")

    class Meta(OrganizationFilterSet.Meta):
        form = ResolvingFilterForm

    def filter_region(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return _in_region(queryset, "region_id", region)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return site_search.organization_text_filter(queryset, site_search.parse_query(value))


class FieldOrderErrorsMixin:
    """Errors in the order of the parameters' declaration (a serializer's order), also for the
    resolved ones, which the form checks after the others."""

    form: forms.Form

    @property
    def errors(self) -> ErrorDict:
        order = list(self.form.fields)
        return ErrorDict(
            sorted(
                self.form.errors.items(),
                key=lambda item: order.index(item[0]) if item[0] in order else len(order),
            )
        )


class ApiFilterSet(FieldOrderErrorsMixin, ApiFilterSetMixin, django_filters.FilterSet):
    """A list that only the API filters (no page lists these rows with filters): its one
    FilterSet, with ``modified_since``, bad values answered with a 400 in DRF's words."""

    modified_since = modified_since_filter()

    class Meta:
        form = ResolvingFilterForm


@documented(kind=serializers.ChoiceField(choices=Region.Kind.choices))
class RegionFilterSet(ApiFilterSet):
    """The region list's filters."""

    resource = "regions"
    kind = django_filters.ChoiceFilter(choices=Region.Kind.choices)
    parent = region_filter(
        _("Direct children of this region (slug or ISO code)."), method="filter_parent"
    )
    within = region_filter(_("This region and every region below it (slug or ISO code)."))

    class Meta(ApiFilterSet.Meta):
        model = Region
        fields: list[str] = []

    def filter_parent(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return queryset.filter(parent=region)

    def filter_region(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return _in_region(queryset, "pk", region)


@documented(
    q=serializers.CharField(
        required=False,
        allow_blank=True,  # empty: no text filter, as on the other lists
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text, matched against names as the site search matches it."),
    )
)
class PersonFilterSet(ApiFilterSet):
    """The people list's filters."""

    resource = "people"
    q = SearchTextFilter(
        method="filter_text",
        max_length=site_search.MAX_QUERY_CHARS,
        help_text=_("Text, matched against names as the site search matches it."),
    )
    organization = organization_filter(
        _("With a public contact point at this organisation (id or slug).")
    )

    class Meta(ApiFilterSet.Meta):
        model = Person
        fields: list[str] = []

    def filter_organization(self, queryset: QuerySet, name: str, organization: Organization):
        return queryset.filter(
            Exists(
                Affiliation.objects.publishable().filter(
                    person=OuterRef("pk"), organization=organization
                )
            )
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = site_search.parse_query(value)
        if query.is_empty:
            return queryset
        return queryset.filter(site_search.matching_people(query))


@documented(
    year=serializers.IntegerField(
        min_value=1900, max_value=2100, help_text=_("Year the event starts.")
    )
)
class EventFilterSet(ApiFilterSet):
    """The event list's filters."""

    resource = "events"
    region = region_filter(_("Held in this region or below (slug or ISO code)."))
    country = country_filter(_("Held in this country (ISO code or slug)."))
    organization = organization_filter(
        _("Organised by this organisation, or where it signed an agreement (id or slug).")
    )
    # ``starts_on__year``: PostgreSQL reads it as a date range.
    year = agreement_filters.IntegerFilter(
        field_name="starts_on", lookup_expr="year", min_value=1900, max_value=2100
    )

    class Meta(ApiFilterSet.Meta):
        model = Event
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return _in_region(queryset, "region_id", region)

    def filter_organization(self, queryset: QuerySet, name: str, organization: Organization):
        signed_there = SigningEvent.objects.public().filter(
            occasion=OuterRef("pk"),
            agreement__in=AgreementParty.objects.filter(organization=organization).values(
                "agreement_id"
            ),
        )
        return queryset.filter(Exists(signed_there) | Q(organizer=organization))


@documented(
    agreement=serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("The agreement's id.")
    ),
    kind=serializers.ChoiceField(choices=Document.Kind.choices),
)
class DocumentFilterSet(ApiFilterSet):
    """The document list's filters."""

    resource = "documents"
    agreement = agreement_filters.IntegerFilter(
        field_name="agreement_id", min_value=1, max_value=2**63 - 1
    )
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices)

    class Meta(ApiFilterSet.Meta):
        model = Document
        fields: list[str] = []
