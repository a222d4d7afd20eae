"""The organisation scope of ``core/access.py``, applied to the admin.

Every ModelAdmin and inline of the portal mixes these in, so that a cluster manager
(see ``core/access.py``) meets the same rule on every admin page:

- changelists, change pages, history pages, "view on site", pop-ups and autocomplete list only
  the rows they may see (``get_queryset``); any other id answers 404, as for a missing one;
- a visible row they may not edit opens read-only (``has_change_permission(obj)``), and cannot
  be deleted;
- a foreign key offers only the rows they may pick (``formfield_for_foreignkey``; a forged id
  outside them is "Select a valid choice", nothing is saved), and its autocomplete searches the
  same rows (``get_search_results``, for the source field the widget names);
- inlines follow the page's record: editable with it, read-only otherwise; and row by row, a
  row the user may see but not edit (on a shared agreement, another party's signature or
  statement: ``partnerships/access.py`` ``ROW_OWNER``) is shown disabled, its posted values are
  ignored and a posted "delete" is refused (``ReadOnlyRowsFormSetMixin``);
- a translator (``access.translates_only``) meets every form and inline with only the texts
  open: each field ``access.may_change_field`` refuses is disabled, so the page shows its value
  and a forged POST of it keeps the stored one (``TextsOnlyFormMixin``).

Administrators are not scoped; their rights are their model permissions. The admins of staff
accounts' settings (who manages what, each one's language) are for administrators only
(``AdministratorsOnlyMixin``). Each of these mixins brings the portal's widgets along
(``core/admin/widgets.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.models import InlineForeignKeyField
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin.limits import BoundedInlineMixin
from core.admin.widgets import WidgetsMixin

if TYPE_CHECKING:
    _BaseAdmin = admin.options.BaseModelAdmin
    _ModelAdmin = admin.ModelAdmin
    _Inline = admin.options.InlineModelAdmin
else:
    _BaseAdmin = _ModelAdmin = _Inline = object


class ScopedChoicesMixin(WidgetsMixin, _BaseAdmin):
    """Foreign keys offer what the user may pick. ``editable_choice_fields`` offer only rows the
    user may edit (an affiliation's organisation), ``visible_choice_fields`` every row the user
    may see (the agreement an agreement builds on); other fields the model's ``choices`` scope."""

    editable_choice_fields: tuple[str, ...] = ()
    visible_choice_fields: tuple[str, ...] = ()

    def scope_choices(self, request: HttpRequest, field_name: str, qs: models.QuerySet):
        if field_name in self.editable_choice_fields:
            return access.editable(request.user, qs)
        if field_name in self.visible_choice_fields:
            return access.visible(request.user, qs)
        return access.choices(request.user, qs)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        queryset = getattr(formfield, "queryset", None)
        if formfield is not None and queryset is not None:
            formfield.queryset = self.scope_choices(request, db_field.name, queryset)
            label_choices(formfield)
        return formfield

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and getattr(formfield, "queryset", None) is not None:
            label_choices(formfield)
        return formfield


def label_choices(formfield: Any) -> None:
    """A model whose rows need more than ``str()`` to be told apart in a select (a region: "Bavaria
    (Germany)") names its label method ``choice_label`` and the relations it reads
    ``choice_related``: every admin select of it — plain or autocomplete, whose chosen options
    Django renders with the same label — shows that label, the relations loaded with the rows."""
    model = formfield.queryset.model
    if not hasattr(model, "choice_label"):
        return
    formfield.queryset = formfield.queryset.select_related(*getattr(model, "choice_related", ()))
    formfield.label_from_instance = model.choice_label


# A form's own bookkeeping, not a fact of the record: the version the page was loaded at
# (core/admin/concurrency.py) stays posted, so a translator's save is checked like any other.
FORM_BOOKKEEPING = frozenset({"loaded_version"})


class TextsOnlyFormMixin:
    """A model form of which ``texts_only_user`` may change only some fields
    (``access.may_change_field``): every other field is disabled — shown, never taken from the
    POST (Django keeps a disabled field's initial value)."""

    texts_only_user: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model  # type: ignore[attr-defined]  # mixed into a ModelForm
        keep = {*FORM_BOOKKEEPING, model._meta.pk.name, DELETION_FIELD_NAME, ORDERING_FIELD_NAME}
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if name in keep or isinstance(field, InlineForeignKeyField):
                continue
            if not access.may_change_field(self.texts_only_user, model, name):
                field.disabled = True


def texts_only(form: Any, request: HttpRequest) -> Any:
    """``form`` as a translator meets it (``TextsOnlyFormMixin``); unchanged for anyone else."""
    if access.may_change_facts(request.user):
        return form
    return type(form.__name__, (TextsOnlyFormMixin, form), {"texts_only_user": request.user})


class ScopedAdminMixin(ScopedChoicesMixin, _ModelAdmin):
    """A ModelAdmin in the organisation scope (see the module docstring)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # By keyword: modeltranslation's TranslationAdmin.get_form takes (request, obj, **kwargs).
        return texts_only(super().get_form(request, obj, change=change, **kwargs), request)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return access.visible(request.user, super().get_queryset(request))

    def _object_permission(self, request: HttpRequest, action: str, obj) -> bool:
        codename = get_permission_codename(action, self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}", obj)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or access.can_view(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None or access.scope_of(self.model) is None:
            return super().has_change_permission(request, obj)
        return self._object_permission(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None or access.scope_of(self.model) is None:
            return super().has_delete_permission(request, obj)
        return self._object_permission(request, "delete", obj)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts, object_id):
        # Django redirects to the index with "… doesn't exist"; outside their scope a manager
        # gets the same 404 for a hidden record as for a missing one.
        if not access.is_administrator(request.user):
            raise Http404
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)  # type: ignore[misc]  # Django's private hook

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = autocomplete_source(request)
        if source is not None:
            source_admin, field_name = source
            queryset = source_admin.scope_choices(request, field_name, queryset)
        return queryset, may_have_duplicates


def is_autocomplete(request: HttpRequest) -> bool:
    """Whether ``request`` is for the admin's autocomplete view."""
    match = request.resolver_match
    return match is not None and match.url_name == "autocomplete"


def autocomplete_source(request: HttpRequest) -> tuple[ScopedChoicesMixin, str] | None:
    """For the admin's autocomplete view: the admin and field the widget searches for."""
    if not is_autocomplete(request):
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None
    source_admin = admin.site._registry.get(model)
    if isinstance(source_admin, ScopedChoicesMixin):
        return source_admin, field.name
    return None


OTHERS_ROW = _("This row belongs to another party: only its managers can change or delete it.")


class ReadOnlyRowsFormSetMixin:
    """A model formset whose existing rows the user may see but not edit (``access.editable``)
    are read-only: every field disabled, so the form shows the stored values and a forged POST
    changes nothing (Django keeps a disabled field's initial value), and a posted "delete" of
    such a row is refused. One query per formset for the rows the user may edit."""

    access_user: Any = None

    def _editable_row_ids(self) -> set:
        if not hasattr(self, "_editable_ids"):
            rows = self.get_queryset()  # type: ignore[attr-defined]  # mixed into a model formset
            self._editable_ids = set(
                access.editable(self.access_user, rows.order_by()).values_list("pk", flat=True)
            )
        return self._editable_ids

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)  # type: ignore[misc]  # mixed into a model formset
        if form.instance.pk is None or form.instance.pk in self._editable_row_ids():
            return
        form.read_only_row = True
        keep = {form._meta.model._meta.pk.name, getattr(getattr(self, "fk", None), "name", None)}
        for name, field in form.fields.items():
            if name == DELETION_FIELD_NAME and form.is_bound:
                # Disabled, the checkbox would silently keep the row: a forged delete is refused.
                posted = field.widget.value_from_datadict(
                    form.data, form.files, form.add_prefix(name)
                )
                form.forged_delete = bool(field.to_python(posted))
            if name not in keep:
                field.disabled = True

    def clean(self) -> None:
        # First: the formset's own rules would judge the rows as if the delete happened.
        if any(getattr(form, "forged_delete", False) for form in self.forms):  # type: ignore[attr-defined]
            raise ValidationError(OTHERS_ROW, code="others_row")
        super().clean()  # type: ignore[misc]  # mixed into a model formset


class ScopedInlineMixin(BoundedInlineMixin, ScopedChoicesMixin, _Inline):
    """An inline follows the record of its page: editable with it, read-only otherwise. Its rows
    are those the user may see (``rows = "editable"``: only those they may edit); of those, the
    rows the user may not edit are read-only one by one (``ReadOnlyRowsFormSetMixin``). Its
    formset is bounded (``core/admin/limits.py``)."""

    rows = "visible"

    def get_formset(self, request: HttpRequest, obj=None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = texts_only(formset.form, request)
        if access.is_administrator(request.user) or access.scope_of(self.model) is None:
            return formset
        return type(
            formset.__name__,
            (ReadOnlyRowsFormSetMixin, formset),
            {"access_user": request.user},
        )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        if self.rows == "editable":
            return access.editable(request.user, qs)
        return access.visible(request.user, qs)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and (
            obj is None or _asked_once(request, access.can_view, obj)
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (
            obj is None or _asked_once(request, access.can_edit, obj)
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or _asked_once(request, access.can_edit, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or _asked_once(request, access.can_edit, obj)
        )


def _asked_once(request: HttpRequest, check: Any, obj: models.Model) -> bool:
    """``check(request.user, obj)``, asked once per request and saved record: the inlines of one
    page ask it about the same parent row (each nested inline of each signing, four times)."""
    if obj.pk is None:
        return check(request.user, obj)
    answers = request.__dict__.setdefault("_portal_row_rights", {})
    key = (check.__name__, obj._meta.label, obj.pk)
    if key not in answers:
        answers[key] = check(request.user, obj)
    return answers[key]


class AdministratorsOnlyMixin(WidgetsMixin, _ModelAdmin):
    """A ModelAdmin of staff accounts' settings (who manages what, each one's language): only
    portal administrators see or change it, and its ``user`` is picked among active staff."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_administrator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_delete_permission(request, obj)
