"""The organisation list's filters, declared once (django-filter): the list page and its
CSV/JSON downloads read ``kind``, ``focus`` and the profile's filters through it (a value that
does not validate is dropped), and the API (``portal/api/filters.py``) adds its own parameters
and answers a bad value with a 400. The page's text and region go to the organisation search
(``organizations.search.search_organizations``), not into this set, on purpose: the page shows a
*search*, not a filtered list. It ranks by relevance in tiers (a name that is the query, then a
name with every word, then descriptions and regions) and stops counting and ranking broad terms
at ``RESULT_CAP``; for region text it keeps the suggestions of an ambiguous name; and when a
query finds nothing it offers the results of the corrected spelling ("did you mean"). None of
that is a filter: a FilterSet narrows a queryset, and the API lists every match in id order.
Which organisations match is decided once all the same: the page's search and the API's
FilterSet (``portal/api/filters.py``) both match text with ``organization_text_filter`` and a
region with ``resolve_region`` and the region's subtree. tests/portal/test_api_filters.py asks
the page and the API the same text and region queries and compares the organisations found (the
API with ``archived=false``: the page lists active organisations only); the one difference, the
page's spelling correction, is tested as such.

The partner profile's filters (issue 22): languages spoken, a target region, the SMEs' share of
the members, and "who already cooperates there": organisations that are party to a published
agreement with an organisation of a region. Agreements are partnerships' (a layer above); it
registers that question at start-up (:func:`register_cooperation`). The page hands the search a
queryset these filters narrowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters  # type: ignore[import-untyped]  # no stubs
from django import forms
from django.db.models import (
    Exists,
    F,
    OuterRef,
    QuerySet,
)
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.languages import MarkedSelect
from core.lookups import AnyOf
from core.rendering import MemoRenderedForm
from organizations import search as site_search
from organizations.models import FocusArea, Organization, Region, sme_percent_expression
from organizations.profiles import spoken_language_choices

# region ids → the ids of organisations party to a published agreement with an organisation
# registered in one of them (partnerships.selectors.organizations_cooperating_with).
CooperationProvider = Callable[[list[int]], list[int]]
_cooperation: list[CooperationProvider] = []


def register_cooperation(provider: CooperationProvider) -> None:
    """Called once by partnerships at start-up: who cooperates with a region's organisations."""
    _cooperation[:] = [provider]


# The SMEs' share of the members: at least this many percent.
SME_SHARES = [
    ("25", _("At least a quarter")),
    ("50", _("At least half")),
    ("75", _("At least three quarters")),
]


class RegionField(forms.CharField):
    """A region named by slug (``bavaria``), ISO code (``DE-BY``), picker label or unambiguous
    name (organizations.search.resolve_region); unknown or ambiguous text does not validate."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region | None:
        text = super().clean(value)
        if not text:
            return None
        region, _suggestions = site_search.resolve_region(text)
        if region is None:
            raise forms.ValidationError(_("No region matches this name or code."), code="unknown")
        return region


class RegionFilter(django_filters.Filter):
    field_class = RegionField


def _region_input(list_id: str, **attrs: str) -> forms.TextInput:
    """A text input with the region picker's suggestions (static/js/region-picker.js; the page
    adds the ``<datalist>``)."""
    return forms.TextInput(
        {
            "list": list_id,
            "autocomplete": "off",
            "maxlength": "200",
            "data-suggest": reverse_lazy("organizations:region_suggest"),
            **attrs,
        }
    )


class OrganizationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    focus = django_filters.ModelChoiceFilter(
        field_name="focus_areas",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        label=_("Focus area"),
        empty_label=_("Any focus area"),
        widget=MarkedSelect,  # options in another language carry lang and the marker
    )
    language = django_filters.ChoiceFilter(
        choices=spoken_language_choices,
        method="filter_language",
        label=_("Language spoken"),
        empty_label=_("Any language"),
    )
    target = RegionFilter(
        method="filter_target",
        label=_("Looking for partners in"),
        widget=_region_input("target-options"),
    )
    smes = django_filters.ChoiceFilter(
        choices=SME_SHARES,
        method="filter_smes",
        label=_("SMEs among the members"),
        empty_label=_("Any share"),
    )
    cooperates = RegionFilter(
        method="filter_cooperates",
        label=_("Already cooperates with"),
        help_text=_("Organisations with agreements with partners in this region."),
        widget=_region_input("cooperates-options", **{"aria-describedby": "id_cooperates-help"}),
    )

    class Meta:
        model = Organization
        fields: list[str] = []
        form = MemoRenderedForm  # the widgets drawn once per distinct context (core/rendering.py)

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # organizations_org_langs_gin
        return queryset.filter(languages__contains=[value])

    def filter_target(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        """Organisations looking for partners in ``region``, in a region within it (a city of
        the state) or in one that includes it (its country, its macro-region)."""
        ids = set(Region.objects.subtree_id_list(region)) | set(
            Region.objects.upward_ids([region.pk])
        )
        targets = Organization.target_regions.through.objects.filter(
            organization_id=OuterRef("pk"), region_id__in=ids
        )
        return queryset.filter(Exists(targets))

    def filter_smes(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The expression of organizations_org_sme_share (whole percent, rounded down: at least
        # N % exactly when the rounded share is at least N, N being whole).
        return queryset.alias(sme_share=sme_percent_expression()).filter(
            member_count__gt=0, sme_share__gte=int(value)
        )

    def filter_cooperates(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        if not _cooperation:  # partnerships is not installed: nobody cooperates
            return queryset.none()
        return queryset.filter(
            AnyOf(F("pk"), _cooperation[0](Region.objects.subtree_id_list(region)))
        )


# The filters of the partner profile: the list page hands them to the search as a queryset.
PROFILE_FILTERS = ("language", "target", "smes", "cooperates")
