"""The admin's autocomplete widgets, safe against a submitted value that is not a key.

Django's ``AutocompleteSelect`` re-renders a bound form by looking its values up
(``queryset.filter(pk__in=values)``); a value that is not a number (a tampered or fuzzed POST
such as ``person=1.5e-126``) raises ``ValueError`` in that lookup and the admin answers 500
instead of "Select a valid choice". Found by tests/test_fuzz.py. Values that the key field
cannot hold are dropped before the lookup; the form shows its usual validation error.

Installed once from ``OrganizationsConfig.ready()``; covers every admin of every app.
"""

from django.contrib.admin import widgets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError

_django_optgroups = widgets.AutocompleteMixin.optgroups


def _key_values_only(widget, value) -> list:
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


def optgroups(self, name, value, attr=None):
    field = self.choices.field
    if hasattr(field.queryset.model, "autocomplete_label"):
        # The chosen value is shown with the same label as the search results. The field is
        # this form's own copy, so the change stays on this form.
        field.label_from_instance = _autocomplete_label
    return _django_optgroups(self, name, _key_values_only(self, value), attr)


def _autocomplete_label(obj) -> str:
    return obj.autocomplete_label()


_django_serialize_result = AutocompleteJsonView.serialize_result


def serialize_result(self, obj, to_field_name):
    """A model with ``autocomplete_label()`` (regions: what and where) is listed by it."""
    result = _django_serialize_result(self, obj, to_field_name)
    if hasattr(obj, "autocomplete_label"):
        result["text"] = obj.autocomplete_label()
    return result


def install() -> None:
    widgets.AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign]  # the patch itself
    AutocompleteJsonView.serialize_result = serialize_result  # type: ignore[method-assign]  # the patch itself
