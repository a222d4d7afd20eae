"""The agreement list's filters, declared once (django-filter): the list page, the map, the
CSV/JSON downloads and the API (``portal/api/filters.py`` adds the API's own parameters and
answers a bad value with a 400, where the page drops it and says so).

Each filter decides its query here and only here, on the queryset methods of ``Agreement``
(``involving_regions``, ``involving_organization``, ``expiring_within``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_filters  # type: ignore[import-untyped]  # no stubs; pyproject is not this branch's to change
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.caching import cached_summary
from core.languages import MarkedSelect
from core.rendering import MemoRenderedForm
from organizations import search as site_search
from organizations.models import FocusArea, Region
from partnerships.forms import (
    EXPIRING_CHOICES,
    PUBLIC_STATUSES,
    SORTS,
    AgreementFilterForm,
    ResolvedField,
    SuggestInput,
)
from partnerships.models import Agreement, Event

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partnerships.models import AgreementsWithStatus


class ResolvedFilter(django_filters.CharFilter):
    """Text that names a row: the form resolves it (``ResolvedField``), ``method`` filters by
    the row."""

    field_class = ResolvedField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's ``NumberFilter`` takes decimals)."""

    field_class = forms.IntegerField


class TypedChoiceField(django_filters.fields.ChoiceField, forms.TypedChoiceField):
    """A ``TypedChoiceField`` with django-filter's ``empty_label`` choice."""


class TypedChoiceFilter(django_filters.ChoiceFilter):
    field_class = TypedChoiceField


UNKNOWN_REGION = _("Unknown region: give a region's slug or ISO 3166 code.")
AMBIGUOUS_REGION = _("Ambiguous region: did you mean one of %(names)s?")


def in_regions(queryset: AgreementsWithStatus, region: Region) -> AgreementsWithStatus:
    """Agreements with a party in ``region`` or any region below it."""
    return queryset.involving_regions(Region.objects.subtree_id_list(region))


class AgreementFilterSet(django_filters.FilterSet):
    """The filters of the public agreement list, in the order the page shows them."""

    # Regions and organisations are typed, with suggestions: a <select> of every row would grow
    # with the database (2.8 MB at 100,000 organisations).
    region = ResolvedFilter(
        method="filter_region",
        resolve=site_search.resolve_region,
        label_of=site_search.region_label,
        unknown=UNKNOWN_REGION,
        ambiguous=AMBIGUOUS_REGION,
        label=_("Country or region"),
        help_text=_("Country, state, city or code, e.g. Bavaria, DE-BY, JP-27."),
        widget=SuggestInput(
            reverse_lazy("organizations:region_suggest"),
            "region-options",
            {"aria-describedby": "id_region-help"},
        ),
    )
    organization = ResolvedFilter(
        method="filter_organization",
        resolve=site_search.resolve_organization,
        label_of=site_search.organization_label,
        label=_("Organisation"),
        help_text=_("Name, short name or part of it."),
        widget=SuggestInput(
            reverse_lazy("organizations:organization_suggest"),
            "organization-options",
            {"aria-describedby": "id_organization-help"},
        ),
    )
    kind = django_filters.ChoiceFilter(
        choices=Agreement.Kind.choices,
        empty_label=_("All kinds"),
        label=_("Kind"),
        widget=forms.Select,
    )
    status = django_filters.ChoiceFilter(
        field_name="current_status",
        choices=PUBLIC_STATUSES,
        empty_label=_("Any status"),
        label=_("Status"),
        widget=forms.Select,
    )
    focus = django_filters.ModelChoiceFilter(
        field_name="focus_areas",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        label=_("Focus area"),
        empty_label=_("All focus areas"),
        widget=MarkedSelect,
    )
    # The page and the API alike: ``signed_on__year``, which PostgreSQL reads as a date range
    # (the signed_on indexes serve it).
    year = IntegerFilter(
        field_name="signed_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
        label=_("Year signed"),
        widget=forms.Select,
    )
    expiring = TypedChoiceFilter(
        method="filter_expiring",
        choices=EXPIRING_CHOICES,
        coerce=int,
        empty_value=None,
        empty_label=_("Any time"),
        label=_("Term ends"),
        widget=forms.Select,
    )
    # Not a filter: the order of the page (and of its downloads); applied by ``qs``.
    sort = django_filters.ChoiceFilter(
        method="keep",
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        empty_label=None,
        label=_("Sort by"),
        widget=forms.Select,
    )

    class Meta:
        model = Agreement
        fields: list[str] = []
        form = AgreementFilterForm

    form: AgreementFilterForm

    def __init__(self, data: Any = None, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        if queryset is None:
            queryset = Agreement.objects.published().with_status()
        super().__init__(data, queryset, **kwargs)

    @property
    def qs(self) -> AgreementsWithStatus:
        """The agreements the filters find, in the chosen order (newest first by default)."""
        if not hasattr(self, "_ordered"):
            agreements = super().qs
            if "sort" in self.filters:
                sort = self.form.cleaned_data.get("sort") if self.is_bound else None
                agreements = agreements.order_by(*SORTS[sort or "newest"][1])
            self._ordered = agreements
        return self._ordered

    def subscription_query(self) -> str:
        """The query string of the filters in use (``region=DE-BY&kind=mou``), as the visitor
        gave them: what the list's Atom feed and calendar of signings are asked with. The order
        and the page are left out (a feed has its own order); ignored values too."""
        active = self.form.active_filters()
        return urlencode(
            [(name, str(self.form.data[name])) for name in self.filters if name in active]
        )

    def filter_region(self, queryset: AgreementsWithStatus, name: str, region: Region):
        return in_regions(queryset, region)

    def filter_organization(self, queryset: AgreementsWithStatus, name: str, organization: Any):
        return queryset.involving_organization(organization)

    def filter_expiring(self, queryset: AgreementsWithStatus, name: str, months: int):
        return queryset.expiring_within(months)

    def keep(self, queryset: AgreementsWithStatus, name: str, value: Any):
        return queryset


class EventFilterSet(django_filters.FilterSet):
    """The filters of the public event list: the year an event starts in, its country. A value
    that does not validate is dropped (the list shows every event instead)."""

    year = IntegerFilter(
        field_name="starts_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
        label=_("Year"),
        widget=forms.Select,
    )
    # By ISO code (?country=DE). The page offers only the countries that have events.
    country = django_filters.ModelChoiceFilter(
        method="filter_country",
        queryset=Region.objects.filter(kind=Region.Kind.COUNTRY),
        to_field_name="iso_code",
        label=_("Country"),
        empty_label=_("All countries"),
        widget=forms.Select,
    )

    class Meta:
        model = Event
        fields: list[str] = []
        form = MemoRenderedForm  # the widgets drawn once per distinct context (core/rendering.py)

    def __init__(self, data: Any = None, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        if queryset is None:
            queryset = Event.objects.public()
        super().__init__(data, queryset, **kwargs)

    def filter_country(self, queryset: QuerySet[Event], name: str, country: Region):
        return queryset.filter(region_id__in=Region.objects.subtree_id_list(country))

    def offer_choices(self) -> None:
        """Offer only years and countries that have public events: two short lists, a cached
        summary per language (three queries when computed: the years, the events' regions, their
        countries in one recursive query)."""
        years, countries = cached_summary(f"event-filter-choices-{get_language()}", _event_choices)
        self.form.fields["year"].widget.choices = [("", _("Any year"))] + [
            (str(year), str(year)) for year in years
        ]
        self.form.fields["country"].widget.choices = [("", _("All countries")), *countries]


def _event_choices() -> tuple[list[int], list[tuple[str, str]]]:
    events = Event.objects.public().order_by()
    years = sorted({day.year for day in events.dates("starts_on", "year")}, reverse=True)
    region_ids = events.exclude(region=None).values_list("region_id", flat=True).distinct()
    countries = {c.pk: c for c in Region.objects.countries_of(region_ids).values()}
    choices = sorted(
        ((c.iso_code, str(c.name)) for c in countries.values() if c.iso_code),
        key=lambda choice: choice[1],
    )
    return years, choices
