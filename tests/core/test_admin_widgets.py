"""The admin's widgets come through Django's documented hooks (core/admin/widgets.py,
core/admin/autocomplete.py, core/admin/sites.py), not by patching Django: so every admin must mix
them in, and no other admin may need them. The behaviours themselves are tested with the pages:
tests/core/test_admin_autocomplete.py and the date fields in tests/partnerships/test_admin.py."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import admin
from django.contrib.admin import options, widgets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import models

from core.admin.widgets import AutocompleteSelect, DateWidget, WidgetsMixin

PORTAL_APPS = ("core", "organizations", "partnerships")


def inlines_of(admin_class) -> Iterator[type]:
    """The inlines of an admin, nested ones (django-nested-admin) included."""
    for inline in getattr(admin_class, "inlines", ()):
        yield inline
        yield from inlines_of(inline)


def portal_admins() -> list[options.ModelAdmin]:
    return [ma for m, ma in admin.site._registry.items() if m._meta.app_label in PORTAL_APPS]


def test_every_admin_and_inline_of_the_portal_mixes_in_its_widgets():
    missing = [
        f"{type(model_admin).__name__}{' ' + inline.__name__ if inline else ''}"
        for model_admin in portal_admins()
        for inline in [None, *inlines_of(type(model_admin))]
        if not issubclass(inline or type(model_admin), WidgetsMixin)
    ]
    assert missing == []


def test_no_other_admin_has_a_date_field_or_an_autocomplete_field():
    """Third-party admins (accounts, login attempts, devices, tasks) keep Django's widgets: none
    of them shows a date-only field or an autocomplete."""
    others = [ma for m, ma in admin.site._registry.items() if m._meta.app_label not in PORTAL_APPS]
    assert others
    for model_admin in others:
        dates = [
            field.name
            for field in model_admin.model._meta.get_fields()
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
        ]
        assert (dates, list(model_admin.autocomplete_fields)) == ([], []), model_admin


def test_a_date_field_gets_the_date_widget_and_an_autocomplete_the_safe_select(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    agreement_admin = next(
        ma for m, ma in admin.site._registry.items() if m._meta.label == "partnerships.Agreement"
    )
    form = agreement_admin.get_form(request)

    assert isinstance(form.base_fields["signed_on"].widget, DateWidget)
    assert isinstance(form.base_fields["previous"].widget.widget, AutocompleteSelect)


def test_django_itself_is_left_unpatched():
    assert options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField]["widget"] is (
        widgets.AdminDateWidget
    )
    assert widgets.AutocompleteMixin.optgroups.__module__ == "django.contrib.admin.widgets"
    assert AutocompleteJsonView.serialize_result.__module__ == (
        "django.contrib.admin.views.autocomplete"
    )
