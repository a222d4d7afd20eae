"""The admin's autocomplete widgets, safe against a submitted value that is not a key.

Django's ``AutocompleteSelect`` re-renders a bound form by looking its values up
(``queryset.filter(pk__in=values)``); a value that is not a number (a tampered or fuzzed POST
such as ``person=1.5e-126``) raises ``ValueError`` in that lookup and the admin answers 500
instead of "Select a valid choice". Found by tests/test_fuzz.py. Values that the key field
cannot hold are dropped before the lookup; the form shows its usual validation error.

Installed once from ``OrganizationsConfig.ready()``; covers every admin of every app.
"""

from django.contrib.admin import widgets
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
    return _django_optgroups(self, name, _key_values_only(self, value), attr)


def install() -> None:
    widgets.AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign]  # the patch itself
