"""The widgets of every admin of every app, through Django's documented hooks.

Every ModelAdmin and inline of the portal mixes in :class:`WidgetsMixin` (through the access
mixins of ``core/admin/access.py``; ``tests/core/test_admin_widgets.py`` checks that none is left
out). It gives them:

- **Dates without a time-zone warning.** A date has no time of day, so no time zone: Django's
  admin nevertheless puts its "Note: You are N hours ahead of server time" next to every date
  field when the browser's time zone differs from the server's (seven times on the agreement
  page). :class:`DateWidget` keeps the calendar and the "Today" shortcut and drops the warning
  (its markup reference and, through ``date_without_timezone_warning.js``, the warning that
  ``DateTimeShortcuts.js`` would add). It is the admin's widget for ``DateField``
  (``formfield_overrides``) unless an admin chose another; date-and-time fields keep Django's
  widget and their warning: there it is true.
- **Autocomplete fields that survive a value that is no key.** Django's ``AutocompleteSelect``
  re-renders a bound form by looking its values up (``queryset.filter(pk__in=values)``); a value
  that is not a number (a tampered or fuzzed POST such as ``person=1.5e-126``) raises
  ``ValueError`` in that lookup and the admin answered 500 instead of "Select a valid choice"
  (found by tests/test_fuzz.py). :class:`AutocompleteSelect` and
  :class:`AutocompleteSelectMultiple` drop the values the key field cannot hold before the
  lookup; the form shows its usual validation error. A model with ``autocomplete_label()``
  (regions: what and where) shows its chosen value with that label, the same as the search
  results (``core/admin/autocomplete.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin import widgets
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import models
from django.forms import ModelChoiceField
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib import admin

    _BaseAdmin = admin.options.BaseModelAdmin
else:
    _BaseAdmin = object


class DateWidget(widgets.AdminDateWidget):
    """The admin's date input with its calendar, without the time-zone warning."""

    class Media:
        # In one list, so that the page keeps this order: the script changes DateTimeShortcuts.
        extend = False
        js = [
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "core/admin/date_without_timezone_warning.js",
        ]

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs={"data-date-only": "", **(attrs or {})}, format=format)

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        # No warning, so nothing to be described by.
        context["widget"]["attrs"].pop("aria-describedby", None)
        return context


def key_values_only(widget: widgets.AutocompleteMixin, value: list) -> list:
    """The values of ``value`` that the widget's key field can hold."""
    remote = widget.field.remote_field
    opts = remote.model._meta
    key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    valid = []
    for item in value:
        try:
            key.get_prep_value(key.to_python(item))
        except (ValidationError, ValueError, TypeError, OverflowError):
            continue
        valid.append(item)
    return valid


def _autocomplete_label(obj: Any) -> str:
    return obj.autocomplete_label()


class _KeyValuesOnlyMixin(widgets.AutocompleteMixin):
    # The chosen rows, read beforehand for every autocomplete of the page at once
    # (preload_chosen_rows): {key as text: row}. None: this widget reads its own (Django's way).
    preloaded: dict[str, Any] | None = None

    def optgroups(self, name, value, attr=None):
        field = cast(Any, self.choices).field
        if hasattr(field.queryset.model, "autocomplete_label"):
            # The chosen value is shown with the same label as the search results. The field is
            # this form's own copy, so the change stays on this form.
            field.label_from_instance = _autocomplete_label
        value = key_values_only(self, value)
        if self.preloaded is None:
            return super().optgroups(name, value, attr)
        # Django's AutocompleteMixin.optgroups, with the rows from ``preloaded`` (read in the
        # queryset's order, as Django's own lookup would return them) instead of a query.
        this = cast(Any, self)  # a Select: is_required, allow_multiple_selected, create_option
        default: tuple[None, list, int] = (None, [], 0)
        has_selected = False
        selected_choices = {str(v) for v in value if str(v) not in field.empty_values}
        if not this.is_required and not this.allow_multiple_selected:
            default[1].append(this.create_option(name, "", "", False, 0))
        attname = _to_field_attname(self)
        for key, obj in self.preloaded.items():
            if key not in selected_choices:
                continue
            option_value = getattr(obj, attname)
            selected = str(option_value) in value and (
                has_selected is False or this.allow_multiple_selected
            )
            has_selected |= selected
            default[1].append(
                this.create_option(
                    name,
                    option_value,
                    field.label_from_instance(obj),
                    selected_choices,
                    len(default[1]),
                )
            )
        return [default]


def _to_field_attname(widget: widgets.AutocompleteMixin) -> str:
    remote = widget.field.remote_field
    opts = remote.model._meta
    return opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname).attname


def _autocomplete_widget(field: Any) -> _KeyValuesOnlyMixin | None:
    widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
    return widget if isinstance(widget, _KeyValuesOnlyMixin) else None


def forms_of_page(context: dict) -> Iterator[Any]:
    """Every form a change page renders: the model's form, each inline's forms, and the forms of
    the formsets nested in them (django-nested-admin's ``nested_formsets``)."""

    def of_formset(formset: Any) -> Iterator[Any]:
        for form in formset.forms:
            yield form
            for nested in getattr(form, "nested_formsets", None) or ():
                yield from of_formset(nested)

    adminform = context.get("adminform")
    if adminform is not None:
        yield adminform.form
    for inline in context.get("inline_admin_formsets") or ():
        yield from of_formset(inline.formset)


def preload_chosen_rows(forms: Iterable[Any]) -> None:
    """Read the chosen rows of every autocomplete field of ``forms`` in one query per choice set.

    Django's autocomplete widget reads its chosen row itself when it renders: on the agreement
    page (parties, signatories, attendees, speakers, contacts, places) that was one query per
    field and row, some 40 for a realistic agreement. Fields whose choices are the same queryset
    (the same SQL: the same scope) share one ``pk IN (…)`` read; each widget then renders from
    it exactly as it would have from its own query.
    """
    groups: dict[tuple[type, str], tuple[Any, set[str], list[_KeyValuesOnlyMixin]]] = {}
    for form in forms:
        for name, field in form.fields.items():
            widget = _autocomplete_widget(field)
            if widget is None or not isinstance(field, ModelChoiceField) or field.queryset is None:
                continue
            raw = form[name].value()
            values = raw if isinstance(raw, list | tuple) else [raw]
            chosen = {
                str(v) for v in key_values_only(widget, list(values)) if v not in field.empty_values
            }
            try:
                sql = str(field.queryset.query)
            except EmptyResultSet:
                continue
            queryset, keys, members = groups.setdefault(
                (field.queryset.model, sql), (field.queryset, set(), [])
            )
            keys |= chosen
            members.append(widget)
    for queryset, keys, members in groups.values():
        attname = _to_field_attname(members[0])
        # A model whose label reads related rows names them (``label_related``): joined here.
        label_related = getattr(queryset.model, "label_related", ())
        if label_related:  # (select_related() without names would join every relation)
            queryset = queryset.select_related(*label_related)
        rows = (
            {
                str(getattr(obj, attname)): obj
                for obj in queryset.using(members[0].db).filter(**{f"{attname}__in": keys})
            }
            if keys
            else {}
        )
        for widget in members:
            widget.preloaded = rows


class AutocompleteSelect(_KeyValuesOnlyMixin, widgets.AutocompleteSelect):
    """Django's autocomplete select, safe against a value that is no key (module docstring)."""


class AutocompleteSelectMultiple(_KeyValuesOnlyMixin, widgets.AutocompleteSelectMultiple):
    """Django's autocomplete multiple select, safe against a value that is no key."""


class WidgetsMixin(_BaseAdmin):
    """For every ModelAdmin and inline: the portal's date and autocomplete widgets (module
    docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # BaseModelAdmin.__init__ merged Django's defaults (AdminDateWidget for DateField) with
        # the class's own formfield_overrides into this instance's dict: an admin that chose
        # another date widget keeps it.
        overrides = cast(dict, self.formfield_overrides)
        date = overrides.get(models.DateField, {})
        if date.get("widget", widgets.AdminDateWidget) is widgets.AdminDateWidget:
            overrides[models.DateField] = {**date, "widget": DateWidget}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request: HttpRequest, context, *args: Any, **kwargs: Any):
        preload_chosen_rows(forms_of_page(context))
        return super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]
