"""The inlines of the agreement page: parties, scope, signing events with their signatures and
attendance, statements, contacts, documents and the reminders sent."""

from __future__ import annotations

from typing import Any

import nested_admin
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from core.access import managed_organization_ids
from core.admin.access import ScopedInlineMixin
from core.languages import AnyLanguageAdminMixin
from partnerships.admin.widgets import DOCUMENT_FILE_WIDGET
from partnerships.admin_forms import (
    AgreementContactForm,
    AgreementContactFormSet,
    AttendanceFormSet,
    DocumentForm,
    PartyFormSet,
    SignatureForm,
    SignatureFormSet,
    SigningEventFormSet,
    StatementForm,
)
from partnerships.models import (
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Reminder,
    Signature,
    SigningEvent,
    Statement,
)

# Translated inlines on the nested page are stacked, not tabular: modeltranslation's tab script
# recognises django-nested-admin's stacked rows (it has code for them) but not its tabular
# markup, where rows added with "Add another" got their whole row swallowed by the language tabs
# (seen in Chromium). Untranslated inlines (contacts) stay tabular.


class PartyInline(
    ScopedInlineMixin, nested_admin.NestedStackedInlineMixin, TranslationStackedInline
):
    model = AgreementParty
    formset = PartyFormSet
    extra = 0
    # Compact rows: organisation, role and order on one line.
    fields = (("organization", "role", "position"), "role_description")
    autocomplete_fields = ("organization",)

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new agreement: two rows, the first the manager's own organisation (AgreementAdmin.
        # get_formset_kwargs fills it in when they manage exactly one), the second the partner's
        # (left empty, it is not saved).
        adding = obj is None or obj.pk is None
        if adding and request.method == "GET" and len(managed_organization_ids(request.user)) == 1:
            return 2
        return 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementParty]:
        return super().get_queryset(request).select_related("organization")


class CooperationAreaInline(
    ScopedInlineMixin,
    AnyLanguageAdminMixin,
    nested_admin.NestedStackedInlineMixin,
    TranslationStackedInline,
):
    model = CooperationArea
    extra = 0
    fields = ("description", "position")


class SignatureInline(
    ScopedInlineMixin, nested_admin.NestedStackedInlineMixin, TranslationStackedInline
):
    model = Signature
    form = SignatureForm
    formset = SignatureFormSet
    extra = 0
    fields = ("person", "on_behalf_of", "capacity")
    autocomplete_fields = ("person",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Signature]:
        # The row's heading is its __str__: the person "for" the party's organisation.
        return super().get_queryset(request).select_related("person", "party__organization")


class AttendanceInline(
    ScopedInlineMixin, nested_admin.NestedStackedInlineMixin, TranslationStackedInline
):
    model = Attendance
    formset = AttendanceFormSet
    extra = 0
    fields = ("person", "capacity", "organization", "is_dignitary")
    autocomplete_fields = ("person", "organization")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        return super().get_queryset(request).select_related("person", "organization")


class SigningEventInline(
    ScopedInlineMixin, nested_admin.NestedStackedInlineMixin, TranslationStackedInline
):
    model = SigningEvent
    formset = SigningEventFormSet
    extra = 0
    fields = ("signed_on", "occasion", "place", "venue", "description")
    autocomplete_fields = ("occasion", "place")
    inlines = (SignatureInline, AttendanceInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SigningEvent]:
        # The heading is its __str__ (date, occasion or place); the nested rows' party choices
        # come from its agreement.
        return super().get_queryset(request).select_related("occasion", "place", "agreement")


class StatementInline(
    ScopedInlineMixin,
    AnyLanguageAdminMixin,
    nested_admin.NestedStackedInlineMixin,
    TranslationStackedInline,
):
    model = Statement
    form = StatementForm
    extra = 0
    fields = ("person", "capacity", "organization", "text", "original_language", "position")
    autocomplete_fields = ("person", "organization")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Statement]:
        return super().get_queryset(request).select_related("person")  # its heading: __str__


class AgreementContactInline(
    ScopedInlineMixin, nested_admin.NestedTabularInlineMixin, admin.TabularInline
):
    model = AgreementContact
    form = AgreementContactForm
    formset = AgreementContactFormSet
    extra = 0
    fields = ("on_behalf_of", "affiliation")
    autocomplete_fields = ("affiliation",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementContact]:
        return (
            super()
            .get_queryset(request)
            .select_related("party", "affiliation__person", "affiliation__organization")
        )


class DocumentInline(
    ScopedInlineMixin,
    AnyLanguageAdminMixin,
    nested_admin.NestedStackedInlineMixin,
    TranslationStackedInline,
):
    model = Document
    extra = 0
    formfield_overrides = DOCUMENT_FILE_WIDGET
    fields = ("kind", "title", "language", "url", "file", "text", "published_on", "is_public")
    form = DocumentForm

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"user": request.user})
        return formset


class ReminderInline(ScopedInlineMixin, nested_admin.NestedTabularInlineMixin, admin.TabularInline):
    """The renewal reminders sent about the agreement (partnerships/reminders.py): read-only."""

    model = Reminder
    extra = 0
    fields = ("claimed_at", "kind", "deadline", "lead_months", "email", "language", "status")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("renewal reminders sent")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
