"""The filters of the public agreement list, parsed from the query string."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db.models import F
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from organizations.models import FocusArea, Organization, Region
from partnerships.models import Agreement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from partnerships.models import AgreementsWithStatus

PUBLIC_STATUSES = [
    (value, label) for value, label in Agreement.Status.choices if value != Agreement.Status.DRAFT
]

SORTS: dict[str, tuple[StrOrPromise, list[str | OrderBy]]] = {
    "newest": (_("Newest first"), [F("signed_on").desc(nulls_last=True), "title"]),
    "oldest": (_("Oldest first"), [F("signed_on").asc(nulls_last=True), "title"]),
    "title": (_("Title (A–Z)"), ["title", "pk"]),
}


class AgreementFilterForm(forms.Form):
    """Every field is optional; a value that does not validate is dropped, not fatal.

    The view shows the dropped filters to the visitor (``ignored_filters``) instead of failing.
    """

    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Country or region"),
        empty_label=_("All regions"),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Organisation"),
        empty_label=_("All organisations"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("All kinds")), *Agreement.Kind.choices],
        required=False,
        label=_("Kind"),
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *PUBLIC_STATUSES], required=False, label=_("Status")
    )
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Focus area"),
        empty_label=_("All focus areas"),
    )
    year = forms.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        label=_("Year signed"),
        widget=forms.Select,
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        required=False,
        label=_("Sort by"),
    )

    def ignored_filters(self) -> list[tuple[str, str]]:
        """(label, raw value) of each filter that was given but could not be used."""
        return [
            (str(self.fields[name].label), str(self.data.get(name, ""))[:80])
            for name in self.errors
            if name in self.fields
        ]

    def active_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with every field that did validate
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "sort" and value not in (None, "")
        }

    def apply(self, agreements: AgreementsWithStatus) -> AgreementsWithStatus:
        filters = self.active_filters()
        if region := filters.get("region"):
            agreements = agreements.involving_regions(Region.objects.subtree_ids(region))
        if organization := filters.get("organization"):
            agreements = agreements.involving_organization(organization)
        if kind := filters.get("kind"):
            agreements = agreements.filter(kind=kind)
        if status := filters.get("status"):
            agreements = agreements.filter(current_status=status)
        if focus := filters.get("focus"):
            agreements = agreements.filter(focus_areas=focus)
        if year := filters.get("year"):
            agreements = agreements.filter(signed_on__year=year)
        sort = self.cleaned_data.get("sort") if self.is_bound else None
        return agreements.order_by(*SORTS[sort or "newest"][1])
