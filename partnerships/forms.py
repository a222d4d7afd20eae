"""The agreement list's filter form and widgets; the filters themselves are declared once by
``AgreementFilterSet`` (partnerships/filters.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import F
from django.db.models.expressions import OrderBy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.rendering import MemoRenderedForm
from partnerships.models import Agreement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


NOT_FOUND = _("Not found.")
GIVE_A_VALUE = _("Give a value.")


class ResolvedField(forms.CharField):
    """Text that names a row (a slug, a picker label or a name), resolved by ``resolve``
    (organisation or region search) to the row; ambiguous or unknown text does not validate,
    and the form keeps the search's suggestions for the page to offer.

    ``unknown`` and ``ambiguous`` are the messages (the API answers them; the page lists the
    filter as ignored): ``ambiguous`` names the suggestions by ISO code or slug."""

    def __init__(
        self,
        *,
        resolve: Any,
        label_of: Any = str,
        unknown: StrOrPromise = NOT_FOUND,
        ambiguous: StrOrPromise | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.resolve = resolve
        self.label_of = label_of
        self.unknown = unknown
        self.ambiguous = ambiguous

    def not_found_message(self, suggestions: list) -> str:
        if suggestions and self.ambiguous is not None:
            names = ", ".join(getattr(row, "iso_code", "") or row.slug for row in suggestions[:5])
            return str(self.ambiguous) % {"names": names}
        return str(self.unknown)


class ResolvingFilterForm(MemoRenderedForm):
    """The form of a FilterSet with ``ResolvedField``s: resolves their text to rows, and keeps
    the search's suggestions for what it could not resolve."""

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
            if not cleaned[name].strip():  # only an API field keeps its spaces (strip=False)
                # Spaces name no row: the API answers 404, as for an unknown name.
                self.add_error(name, forms.ValidationError(GIVE_A_VALUE, code="not_found"))
                continue
            row, suggestions = field.resolve(cleaned[name].strip())
            if row is None:
                self.suggestions[name] = suggestions
                # removes ``name`` from cleaned_data
                self.add_error(
                    name,
                    forms.ValidationError(field.not_found_message(suggestions), code="not_found"),
                )
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


class AgreementFilterForm(ResolvingFilterForm):
    """The form of ``AgreementFilterSet`` (partnerships/filters.py), which declares its fields.

    On the page every field is optional and a value that does not validate is dropped, not
    fatal: the view shows the dropped filters to the visitor (``ignored_filters``) instead of
    failing. The API answers them as a 400 (portal/api/filters.py).
    """
