"""Admin widgets used by every admin of every app.

A date has no time of day, so no time zone: Django's admin nevertheless puts its "Note: You are
N hours ahead of server time" next to every date field when the browser's time zone differs from
the server's (seven times on the agreement page). ``DateWidget`` keeps the calendar and the
"Today" shortcut and drops the warning (its markup reference and, through
``date_without_timezone_warning.js``, the warning that ``DateTimeShortcuts.js`` would add).
Date-and-time fields keep Django's widget and their warning: there it is true.

Installed once from ``OrganizationsConfig.ready()`` as the admin's default widget for
``DateField``, so admins added later get it too.
"""

from typing import cast

from django.contrib.admin import options, site, widgets
from django.db import models


class DateWidget(widgets.AdminDateWidget):
    """The admin's date input with its calendar, without the time-zone warning."""

    class Media:
        # In one list, so that the page keeps this order: the script changes DateTimeShortcuts.
        extend = False
        js = [
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "organizations/admin/date_without_timezone_warning.js",
        ]

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs={"data-date-only": "", **(attrs or {})}, format=format)

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        # No warning, so nothing to be described by.
        context["widget"]["attrs"].pop("aria-describedby", None)
        return context


def install() -> None:
    """Make ``DateWidget`` the default for date fields: for admins and inlines made from now on
    (inlines are made per request) and for the model admins already registered (the admin
    app's autodiscovery may have run before this app's ``ready()``)."""
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = {"widget": DateWidget}
    for model_admin in site._registry.values():
        # The instance's own dict: BaseModelAdmin.__init__ merged a deep copy of the defaults.
        overrides = cast(dict, model_admin.formfield_overrides)
        if overrides.get(models.DateField, {}).get("widget") is widgets.AdminDateWidget:
            overrides[models.DateField] = {**overrides[models.DateField], "widget": DateWidget}
