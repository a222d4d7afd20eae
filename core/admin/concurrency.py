"""Optimistic concurrency for admin change forms: a save never silently overwrites a change
someone else saved after the editor opened the form.

The change form carries the ``updated_at`` of the record as the editor loaded it (a hidden
field). On save the row is locked (the admin saves in one transaction) and its ``updated_at``
compared: if someone saved in between, the save is refused with a form error that lists, field by
field, what they changed (from the recorded versions, core/history.py), and the form
is shown again with everything the editor typed. The hidden field then carries the new version:
saving once more, after reading what changed, keeps the editor's values.

Used by the ModelAdmins of organisations, people, agreements, events, contact points
(affiliations) and focus areas (any tracked model with ``updated_at`` works).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from core import history

if TYPE_CHECKING:
    from django.contrib import admin

    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object

VERSION_FIELD = "loaded_version"

STALE = _(
    "Someone else saved this record after you opened it. Their changes: %(changes)s. Your "
    "input is kept below: check it, then save again to keep your values."
)
STALE_UNKNOWN = _(
    "Someone else saved this record after you opened it. Your input is kept below: check it, "
    "then save again to keep your values."
)


def version_of(obj: Any) -> str:
    return obj.updated_at.isoformat() if obj is not None and obj.pk and obj.updated_at else ""


def changes_since(model: type, pk: Any, loaded: str, current: Any) -> list[str]:
    """ "Field: old → new" for each recorded field that changed since the version ``loaded`` (an
    ``updated_at`` in ISO format), from the recorded versions; empty if none is recorded."""
    if not history.is_tracked(model):
        return []
    event_model = history.event_model_for(model)
    then = (
        event_model.objects.filter(pgh_obj_id=pk, updated_at=loaded)
        .order_by("-pgh_created_at", "-pgh_id")
        .first()
    )
    if then is None:
        return []
    changes = []
    for field in history.recorded_fields(model):
        if field.primary_key or field.name in {"updated_at", "created_at"}:
            continue
        before, after = getattr(then, field.attname), getattr(current, field.attname)
        if before != after:
            old, new = history.display_value(field, before), history.display_value(field, after)
            changes.append(f"{field.verbose_name}: {old} → {new}")
    return changes


class ConcurrencyFormMixin(forms.ModelForm):
    """Adds the hidden version field and refuses a stale save (see the module's docstring)."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD].initial = version_of(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        loaded = cleaned_data.get(VERSION_FIELD) or ""
        if not (loaded and self.instance.pk):
            return cleaned_data
        model = type(self.instance)
        current = model._base_manager.select_for_update().get(pk=self.instance.pk)
        if version_of(current) == loaded:
            return cleaned_data
        # Next time the form carries the version now saved: a second save keeps these values.
        data = cast(QueryDict, self.data).copy()
        data[self.add_prefix(VERSION_FIELD)] = version_of(current)
        self.data = data
        changes = changes_since(model, current.pk, loaded, current)
        message = STALE % {"changes": "; ".join(changes)} if changes else str(STALE_UNKNOWN)
        raise ValidationError(message, code="stale")


class ConcurrencyAdminMixin(_ModelAdmin):
    """For a ModelAdmin: its change form carries and checks the version (``updated_at``)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        base = kwargs.get("form", self.form)
        if not issubclass(base, ConcurrencyFormMixin):
            kwargs["form"] = type(f"Concurrent{base.__name__}", (ConcurrencyFormMixin, base), {})
        # By keyword: modeltranslation's TranslationAdmin.get_form takes (request, obj, **kwargs).
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not fieldsets:
            return fieldsets
        name, options = fieldsets[0]
        fields = tuple(options.get("fields", ()))
        if VERSION_FIELD not in fields:
            fieldsets[0] = (name, {**options, "fields": (*fields, VERSION_FIELD)})
        return fieldsets
