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

from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
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
    def optgroups(self, name, value, attr=None):
        field = cast(Any, self.choices).field
        if hasattr(field.queryset.model, "autocomplete_label"):
            # The chosen value is shown with the same label as the search results. The field is
            # this form's own copy, so the change stays on this form.
            field.label_from_instance = _autocomplete_label
        return super().optgroups(name, key_values_only(self, value), attr)


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
