"""The parts of an agreement, each also reachable on its own page (scoped to its agreement's
parties): parties, scope, signatures, attendance, statements, contacts, documents, reminders."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.access import is_administrator
from core.admin.access import ScopedAdminMixin
from core.admin.history import HistoryAdminMixin
from core.admin.translations import TranslationStatusAdminMixin
from core.languages import AnyLanguageAdminMixin, language_fields
from partnerships.admin.agreements import RefreshKeyTermsMixin
from partnerships.admin.base import TITLE_IN_ALL_LANGUAGES
from partnerships.admin.widgets import DOCUMENT_FILE_WIDGET
from partnerships.admin_forms import (
    DocumentForm,
    StatementForm,
)
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Reminder,
    Signature,
    Statement,
)
from partnerships.uploads import document_file_response


@admin.register(AgreementParty)
class AgreementPartyAdmin(
    TranslationStatusAdminMixin,
    RefreshKeyTermsMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("role_description",)
    list_display = ("organization", "agreement", "role", "position")
    list_filter = ("role", "organization__kind")
    search_fields = (
        "organization__name_en",
        "organization__short_name",
        "agreement__title_en",
        "agreement__code",
    )
    list_select_related = ("organization", "agreement")
    autocomplete_fields = ("agreement", "organization")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementParty]:
        # __str__ names the organisation: the autocomplete view needs it too.
        return super().get_queryset(request).select_related("organization", "agreement")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A concluded (signed) agreement keeps its parties: remove one on the agreement's page,
        # where the rules of partnerships/rules.py see all parties, or set it back to draft.
        if obj is not None and obj.agreement.state == Agreement.State.CONCLUDED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CooperationArea)
class CooperationAreaAdmin(
    TranslationStatusAdminMixin,
    RefreshKeyTermsMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("description",)
    list_display = ("__str__", "agreement", "position")
    search_fields = (*language_fields("description"), "agreement__title_en")
    list_filter = ("agreement__kind",)
    list_select_related = ("agreement",)
    autocomplete_fields = ("agreement",)


@admin.register(Signature)
class SignatureAdmin(
    TranslationStatusAdminMixin, ScopedAdminMixin, HistoryAdminMixin, TabbedTranslationAdmin
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("capacity",)
    list_display = ("person", "party_organization", "signing_event", "capacity")
    list_filter = (("signing_event__occasion", admin.RelatedOnlyFieldListFilter),)
    search_fields = (
        "person__given_name",
        "person__family_name",
        "person__native_name",
        "party__organization__name_en",
        "signing_event__agreement__title_en",
    )
    list_select_related = (
        "person",
        "party__organization",
        "signing_event__occasion",
        "signing_event__place",
    )
    autocomplete_fields = ("signing_event", "person", "party")

    @admin.display(description=_("on behalf of"), ordering="party__organization__name")
    def party_organization(self, obj: Signature) -> str:
        return str(obj.party.organization)


@admin.register(Attendance)
class AttendanceAdmin(
    TranslationStatusAdminMixin, ScopedAdminMixin, HistoryAdminMixin, TabbedTranslationAdmin
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("capacity",)
    list_display = ("person", "capacity", "organization", "signing_event", "is_dignitary")
    list_filter = ("is_dignitary",)
    search_fields = (
        "person__given_name",
        "person__family_name",
        "person__native_name",
        "capacity_en",
        "signing_event__agreement__title_en",
    )
    list_select_related = (
        "person",
        "organization",
        "signing_event__occasion",
        "signing_event__place",
    )
    autocomplete_fields = ("signing_event", "person", "organization")


@admin.register(Statement)
class StatementAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("text", "capacity")
    translation_status_originals = {"text": "original_text"}  # a quote as it was said
    form = StatementForm
    list_display = ("person", "agreement", "organization", "original_language", "short_text")
    list_filter = ("original_language",)
    search_fields = (
        "person__given_name",
        "person__family_name",
        *language_fields("text"),
        "agreement__title_en",
    )
    list_select_related = ("person", "agreement", "organization")
    autocomplete_fields = ("agreement", "person", "organization")

    @admin.display(description=_("quote"))
    def short_text(self, obj: Statement) -> str:
        return obj.text[:80]


@admin.register(AgreementContact)
class AgreementContactAdmin(ScopedAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("affiliation", "party", "agreement")
    list_filter = ("affiliation__visibility",)
    search_fields = (
        "affiliation__person__family_name",
        "affiliation__person__given_name",
        "affiliation__organization__name_en",
        "agreement__title_en",
    )
    list_select_related = (
        "affiliation__person",
        "affiliation__organization",
        "party__organization",
        "agreement",
    )
    autocomplete_fields = ("agreement", "party", "affiliation")


@admin.register(Document)
class DocumentAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("title",)
    list_display = ("title", "kind", "agreement", "language", "published_on", "is_public")
    list_filter = ("kind", "language", "is_public")
    search_fields = (
        *language_fields("title"),
        "url",
        "original_name",
        "agreement__title_en",
    )
    list_select_related = ("agreement",)
    date_hierarchy = "published_on"
    autocomplete_fields = ("agreement",)
    formfield_overrides = DOCUMENT_FILE_WIDGET
    form = DocumentForm
    readonly_fields = ("proposed_by",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # By keyword: modeltranslation's TranslationAdmin.get_form takes (request, obj, **kwargs).
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name="partnerships_document_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        """The stored file of any document, public or not, for staff who may view documents."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = self.get_object(request, unquote(object_id))
        if document is None or not document.file:
            raise Http404
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        return document_file_response(document)  # admin_view adds never_cache's no-store


class ReminderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who was reminded of which deadline, when and in which language: a record written by the
    reminder runs (partnerships/reminders.py), read-only. A manager sees the reminders of their
    organisations' agreements. An administrator may delete a row left "sending (not confirmed)"
    by a crash, to have it sent on the next run."""

    list_display = (
        "claimed_at",
        "agreement",
        "kind",
        "deadline",
        "lead_months",
        "email",
        "language",
        "status",
        "sent_at",
    )
    list_filter = ("status", "kind", "lead_months", "language", "deadline")
    search_fields = (
        "email",
        "recipient__username",
        "agreement__code",
        *(f"agreement__{name}" for name in TITLE_IN_ALL_LANGUAGES),
    )
    list_select_related = ("agreement",)
    fields = (
        "agreement",
        "kind",
        "deadline",
        "lead_months",
        "recipient",
        "email",
        "language",
        "subject",
        "status",
        "error",
        "claimed_at",
        "sent_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_administrator(request.user) and super().has_delete_permission(request, obj)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        # Django's history view looks the row up before it asks the permission: without one the
        # answer is 403, as on every other page, not the scope's 404.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


admin.site.register(Reminder, ReminderAdmin)
