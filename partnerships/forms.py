"""The filters of the public agreement list, parsed from the query string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import F
from django.db.models.expressions import OrderBy
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from organizations import search as site_search
from organizations.models import FocusArea, Region
from partnerships.models import Agreement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from partnerships.models import AgreementsWithStatus

PUBLIC_STATUSES = [
    (value, label) for value, label in Agreement.Status.choices if value != Agreement.Status.DRAFT
]

# "Expiring within N months" (AgreementQuerySet.expiring_within): the public list's ?expiring=,
# the API's and the admin changelist's filter.
EXPIRING_CHOICES: list[tuple[int, StrOrPromise]] = [
    (3, _("Within 3 months")),
    (6, _("Within 6 months")),
    (12, _("Within 12 months")),
]

SORTS: dict[str, tuple[StrOrPromise, list[str | OrderBy]]] = {
    # Ending in pk: pages never overlap. "newest" is served by partnerships_agr_list_newest.
    "newest": (_("Newest first"), [F("signed_on").desc(nulls_last=True), "title", "pk"]),
    "oldest": (_("Oldest first"), [F("signed_on").asc(nulls_last=True), "title", "pk"]),
    "title": (_("Title (A–Z)"), ["title", "pk"]),
}


class SuggestInput(forms.TextInput):
    """A text input with suggestions as the visitor types (static/js/region-picker.js fetches
    them from ``suggest_url`` into the ``<datalist>``). Without JavaScript it is a plain text
    field that the server resolves: its size never depends on the number of rows."""

    def __init__(self, suggest_url: Any, list_id: str, attrs: dict | None = None) -> None:
        super().__init__(
            {
                "list": list_id,
                "autocomplete": "off",
                "maxlength": "200",
                "data-suggest": suggest_url,
                **(attrs or {}),
            }
        )
        self.list_id = list_id

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> Any:
        html = super().render(name, value, attrs, renderer)
        return html + format_html('<datalist id="{}"></datalist>', self.list_id)


def _html_attrs(attrs: dict[str, Any]) -> str:
    """Django's ``django/forms/widgets/attrs.html``, in Python: ``False`` leaves an attribute
    out, ``True`` writes its name alone."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """Django's ``Select``, the same HTML, written in Python instead of three templates.

    Django renders each ``<option>`` through two templates (``select_option.html`` and
    ``attrs.html``): a third of the agreement list's template time went to its eight filter
    selects. ``tests/partnerships/test_forms.py`` compares the output with Django's.
    """

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> Any:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _html_attrs(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_html_attrs(option["attrs"])),  # noqa: S308 - escaped by format_html above
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html


class ResolvedField(forms.CharField):
    """Text that names a row (a slug, a picker label or a name), resolved by ``resolve``
    (organisation or region search) to the row; ambiguous or unknown text does not validate,
    and the form keeps the search's suggestions for the page to offer."""

    def __init__(self, *, resolve: Any, label_of: Any, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=200, **kwargs)
        self.resolve = resolve
        self.label_of = label_of


class AgreementFilterForm(forms.Form):
    """Every field is optional; a value that does not validate is dropped, not fatal.

    The view shows the dropped filters to the visitor (``ignored_filters``) instead of failing.
    """

    # Regions and organisations are typed, with suggestions: a <select> of every row would grow
    # with the database (2.8 MB at 100,000 organisations).
    region = ResolvedField(
        resolve=site_search.resolve_region,
        label_of=site_search.region_label,
        label=_("Country or region"),
        help_text=_("Country, state, city or code, e.g. Bavaria, DE-BY, JP-27."),
        widget=SuggestInput(
            reverse_lazy("organizations:region_suggest"),
            "region-options",
            {"aria-describedby": "id_region-help"},
        ),
    )
    organization = ResolvedField(
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
    kind = forms.ChoiceField(
        choices=[("", _("All kinds")), *Agreement.Kind.choices],
        required=False,
        label=_("Kind"),
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *PUBLIC_STATUSES],
        required=False,
        label=_("Status"),
        widget=PlainSelect,
    )
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Focus area"),
        empty_label=_("All focus areas"),
        widget=PlainSelect,
    )
    year = forms.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        label=_("Year signed"),
        widget=PlainSelect,
    )
    expiring = forms.TypedChoiceField(
        choices=[("", _("Any time")), *EXPIRING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Term ends"),
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        required=False,
        label=_("Sort by"),
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per resolved field: the rows the search suggests for ambiguous text.
        self.suggestions: dict[str, list] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        shown = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
        for name, field in self.fields.items():
            if not isinstance(field, ResolvedField) or not cleaned.get(name):
                continue
            row, suggestions = field.resolve(cleaned[name])
            if row is None:
                self.suggestions[name] = suggestions
                self.add_error(name, _("Not found."))  # removes ``name`` from cleaned_data
                continue
            cleaned[name] = row
            shown[name] = field.label_of(row)  # the input shows what was chosen, by name
        self.data = shown
        return cleaned

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
            agreements = agreements.involving_regions(Region.objects.subtree_id_list(region))
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
        if expiring := filters.get("expiring"):
            agreements = agreements.expiring_within(expiring)
        sort = self.cleaned_data.get("sort") if self.is_bound else None
        return agreements.order_by(*SORTS[sort or "newest"][1])
