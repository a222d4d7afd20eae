"""Admin for events and agreements: one agreement is recorded from one page.

The agreement page holds, as inlines: parties, cooperation areas (scope), signing events with
their signatures and attendance nested inside each event, statements, contacts and documents.
Django's admin has no nested inlines; django-nested-admin (4.1.6) adds them. It was checked on
Django 6.1 with modeltranslation's tabbed translation admin, in Chromium too: rendering, adding
rows, validation errors and saving are covered by tests/partnerships/test_admin.py. Two small
scripts complete it: party_choices.js offers the parties typed on the page as "on behalf of"
choices before saving, and nested_translation_tabs.js gives rows added by nested-admin their
language tabs (modeltranslation's script misses them).

Validation that spans formsets (two parties for a concluded agreement, the publish rule, a
signature on behalf of a party entered on the same page, an attendee who also signs) lives in
partnerships/admin_forms.py, which applies the rules of partnerships/rules.py — the same functions
and messages as the services.
The admin wraps the whole save in one transaction, and validates every formset before saving
anything, so a rejected page writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import nested_admin
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from core.access import is_administrator, managed_organization_ids
from core.admin.access import ScopedAdminMixin, ScopedInlineMixin
from core.admin.concurrency import ConcurrencyAdminMixin
from core.admin.history import HistoryAdminMixin
from core.admin.imports import SpreadsheetImportMixin
from core.admin.widgets import AutocompleteSelect
from core.languages import AnyLanguageAdminMixin
from organizations.admin import RegionListFilter
from organizations.models import Organization
from partnerships import rules, services
from partnerships.admin_forms import (
    AgreementContactForm,
    AgreementContactFormSet,
    AttendanceFormSet,
    PageFormsetsMixin,
    PartyFormSet,
    SignatureForm,
    SignatureFormSet,
    SigningEventFormSet,
    SigningEventStandaloneForm,
    StatementForm,
)
from partnerships.deadlines import deadlines_on
from partnerships.forms import EXPIRING_CHOICES
from partnerships.imports import AgreementResource
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    AgreementQuerySet,
    Attendance,
    CalendarToken,
    CooperationArea,
    Document,
    Event,
    Reminder,
    Signature,
    SigningEvent,
    Statement,
)
from partnerships.uploads import ACCEPT_ATTRIBUTE, document_file_response

TITLE_IN_ALL_LANGUAGES = ("title_en", "title_de", "title_ja")
NAME_IN_ALL_LANGUAGES = ("name_en", "name_de", "name_ja")


class LinkedFormsetsAdminMixin:
    """Give every formset of the page the list of all formsets (see ``PageFormsetsMixin``).

    Overrides ``_create_formsets`` like django-nested-admin itself does. On a POST,
    django-nested-admin returns the nested formsets in that list too, and that is when the
    cross-formset checks run; on a GET the forms fall back to the saved parties. This must run
    before any form of a ``PartyChoiceFormSet`` is built, so it does not touch ``.forms``.
    """

    def _create_formsets(self, request: HttpRequest, obj, change: bool):
        formsets, inline_instances = super()._create_formsets(  # type: ignore[misc]  # mixed into ModelAdmin, which has it
            request, obj, change
        )
        for formset in formsets:
            if isinstance(formset, PageFormsetsMixin):
                formset.page_formsets = formsets
            if isinstance(formset, PartyFormSet):
                formset.access_user = request.user
        return formsets, inline_instances


# --- Event -----------------------------------------------------------------------------------


class EventRegionListFilter(RegionListFilter):
    region_lookup = "region"


@admin.register(Event)
class EventAdmin(
    ScopedAdminMixin, HistoryAdminMixin, AnyLanguageAdminMixin, TabbedTranslationAdmin
):
    list_display = ("name", "starts_on", "ends_on", "region_label", "organizer")
    list_filter = (EventRegionListFilter, ("organizer", admin.RelatedOnlyFieldListFilter))
    search_fields = (*NAME_IN_ALL_LANGUAGES, "slug", "venue_en", "venue_de", "venue_ja")
    list_select_related = ("region__parent", "organizer")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("organizer", "region")
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        "name",
        "slug",
        "starts_on",
        "ends_on",
        "region",
        "venue",
        "organizer",
        "website",
        "description",
    )

    @admin.display(description=_("region"), ordering="region__name")
    def region_label(self, obj: Event) -> str:
        return obj.region.choice_label() if obj.region else "—"


# --- Agreement page inlines ------------------------------------------------------------------
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
    fields = ("organization", "role", "role_description", "position")
    autocomplete_fields = ("organization",)

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
        return super().get_queryset(request).select_related("person", "party")


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


@dataclass(frozen=True)
class StoredFileLink:
    """What the admin's file input shows for a stored file: ``{{ value }}`` linked to ``.url``."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class DocumentFileWidget(AdminFileWidget):
    """The file input of a document: offers only the accepted types, and links the stored file to
    the admin's own download (``DocumentAdmin.file_view``) under its original name — nothing
    serves MEDIA_URL, so Django's link to ``file.url`` would lead nowhere."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": ACCEPT_ATTRIBUTE, **(attrs or {})})

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        document = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and document is not None and document.pk:
            url = reverse("admin:partnerships_document_file", args=[document.pk])
            context["widget"]["value"] = StoredFileLink(url, document.download_name)
        return context


DOCUMENT_FILE_WIDGET: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.FileField: {"widget": DocumentFileWidget}
}


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


# --- Agreement list filters ------------------------------------------------------------------


class StatusListFilter(admin.SimpleListFilter):
    """The derived status (in force, expired …), filtered in SQL on ``current_status``."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return list(Agreement.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in Agreement.Status.values:
            return queryset.filter(current_status=self.value())
        return queryset


class ExpiringListFilter(admin.SimpleListFilter):
    """Current term ending within 3, 6 or 12 months (with automatic renewal: the next end of
    term), neither terminated nor superseded: :meth:`AgreementQuerySet.expiring_within`, the
    rule of the public list's filter. The list is then sorted by end of term
    (:meth:`AgreementAdmin.get_ordering`)."""

    title = _("term ends")
    parameter_name = "expiring"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [(str(months), label) for months, label in EXPIRING_CHOICES]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        months = {str(months): months for months, _label in EXPIRING_CHOICES}.get(
            self.value() or ""
        )
        if months is None:
            return queryset
        return cast(AgreementQuerySet, queryset).expiring_within(months)


class SigningYearListFilter(admin.SimpleListFilter):
    title = _("year signed")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        years = model_admin.get_queryset(request).dates("signed_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(signed_on__year=int(value))
        return queryset


class AwaitingApprovalListFilter(admin.SimpleListFilter):
    """In review, still without an approval of the current key terms from a party the user
    manages (an administrator who manages none: from any party)."""

    title = _("approval")
    parameter_name = "awaiting"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("me", _("Waiting for my approval"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "me":
            return queryset
        managed = managed_organization_ids(request.user)
        if not managed and is_administrator(request.user):
            return cast(AgreementQuerySet, queryset).awaiting_approval()
        return cast(AgreementQuerySet, queryset).awaiting_approval(managed)


class MyOrganizationsListFilter(admin.SimpleListFilter):
    """Agreements a managed organisation is a party to (a manager also sees every published
    agreement in the list; the dashboard's counts link here)."""

    title = _("party")
    parameter_name = "party"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        if not managed_organization_ids(request.user):
            return []
        return [("mine", _("My organisations"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "mine":
            return queryset
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"),
                    organization_id__in=managed_organization_ids(request.user),
                )
            )
        )


class PartyRegionListFilter(RegionListFilter):
    title = _("region of a party")
    region_lookup = "parties__organization__region"


# --- Agreement -------------------------------------------------------------------------------


class AutocompleteExcludingSelect(AutocompleteSelect):
    """An autocomplete that leaves one object out of its results: "builds on" never offers the
    agreement being edited. The object's id rides along in the autocomplete URL (``exclude``);
    ``AgreementAdmin.get_search_results`` drops it, and ``Agreement.clean`` refuses it anyway."""

    excluded_pk: int | None = None

    def get_url(self) -> str:
        url = super().get_url()
        if self.excluded_pk is None:
            return url
        return f"{url}?{urlencode({'exclude': self.excluded_pk})}"


KEY_TERMS_UNPUBLISH_WARNING = _(
    "This agreement is published. If you change its key terms (title, kind, dates, term, notice, "
    "renewal, text of the terms, parties, focus areas or scope of cooperation), it is taken off "
    "the public site and goes back to review until every party has approved the new version. "
    "Other changes (summary, signings, statements, contacts, documents) keep it published."
)


def refresh_key_terms(request: HttpRequest, agreement: Agreement) -> None:
    """After a save that may have changed ``agreement``'s key terms (its page, or a party or
    cooperation area on its own page): bump the version (services), and tell the editor what
    that did — approvals no longer count, and a published agreement is back in review."""
    before = (agreement.terms_version, agreement.publication)
    services.agreement_refresh_terms_version(agreement=agreement)
    if agreement.terms_version == before[0]:
        return
    if before[1] == Agreement.Publication.PUBLISHED:
        messages.warning(
            request,
            _(
                "The key terms changed: the agreement is no longer public. It is back in review "
                "until every party has approved the new version; its managers find it among the "
                "agreements waiting for their approval."
            ),
        )
    elif agreement.approvals.exists():
        messages.warning(
            request,
            _(
                "The key terms changed: the approvals given so far no longer count, and "
                "every party must approve again."
            ),
        )


class RefreshKeyTermsMixin:
    """For a part of an agreement that belongs to its key terms (a party, a cooperation area),
    saved or deleted on its own admin page: the agreement's key terms are refreshed as on the
    agreement's page (``refresh_key_terms``)."""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]  # mixed into ModelAdmin
        refresh_key_terms(request, obj.agreement)

    def delete_model(self, request: HttpRequest, obj) -> None:
        agreement = obj.agreement
        super().delete_model(request, obj)  # type: ignore[misc]  # mixed into ModelAdmin
        refresh_key_terms(request, agreement)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        agreements = list(Agreement.objects.filter(pk__in=queryset.values("agreement")))
        super().delete_queryset(request, queryset)  # type: ignore[misc]  # mixed into ModelAdmin
        for agreement in agreements:
            refresh_key_terms(request, agreement)


@admin.register(Agreement)
class AgreementAdmin(
    ScopedAdminMixin,
    SpreadsheetImportMixin,
    ConcurrencyAdminMixin,
    HistoryAdminMixin,
    LinkedFormsetsAdminMixin,
    AnyLanguageAdminMixin,
    nested_admin.NestedModelAdminMixin,
    TabbedTranslationAdmin,
):
    list_display = (
        "title",
        "code",
        "kind",
        "status_display",
        "signed_on",
        "end_of_term",
        "party_names",
        "publication",
    )
    list_filter = (
        AwaitingApprovalListFilter,
        MyOrganizationsListFilter,
        StatusListFilter,
        ExpiringListFilter,
        "kind",
        "state",
        PartyRegionListFilter,
        SigningYearListFilter,
        "publication",
    )
    search_fields = (
        *TITLE_IN_ALL_LANGUAGES,
        "code",
        "slug",
        "parties__organization__name_en",
        "parties__organization__short_name",
    )
    list_select_related = ("previous",)
    resource_classes = [AgreementResource]  # spreadsheets (partnerships/imports.py)
    date_hierarchy = "signed_on"
    autocomplete_fields = ("previous", "focus_areas")
    visible_choice_fields = ("previous",)  # builds on any agreement the user may see
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "publication",
        "computed_end",
        "deadlines_display",
        "created_at",
        "updated_at",
    )
    # Parties come first: signatures and contacts are resolved to the saved parties.
    inlines = (
        PartyInline,
        CooperationAreaInline,
        SigningEventInline,
        StatementInline,
        AgreementContactInline,
        DocumentInline,
        ReminderInline,
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "code", "kind", "summary", "focus_areas")}),
        (
            _("Dates and status"),
            {
                "fields": (
                    "state",
                    "signed_on",
                    "effective_from",
                    "term",
                    ("term_length", "term_length_unit"),
                    "valid_until",
                    "computed_end",
                    ("notice_period", "notice_period_unit"),
                    "auto_renewal",
                    "deadlines_display",
                    "terminated_on",
                ),
                "description": _(
                    "Whether the agreement is in force or expired follows from these dates."
                ),
            },
        ),
        (_("Builds on"), {"fields": ("previous", "lineage")}),
        (_("Text"), {"fields": ("terms", "authentic_languages")}),
        (_("Publication"), {"fields": ("publication", "created_at", "updated_at")}),
    )

    class Media:
        js = (
            "partnerships/admin/party_choices.js",
            "partnerships/admin/nested_translation_tabs.js",
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        agreements = cast(AgreementQuerySet, super().get_queryset(request))
        return agreements.with_status().with_term_end().prefetch_related("parties__organization")

    def get_ordering(self, request: HttpRequest) -> list[Any] | tuple[Any, ...]:
        # "Term ends within N months": the soonest first (an expression: get_queryset orders
        # before it annotates ``term_end_on``).
        if request.GET.get(ExpiringListFilter.parameter_name):
            end = Agreement.current_end_expression(timezone.localdate())
            return (end.asc(), "title", "pk")
        return super().get_ordering(request)

    # --- Publication: the panel above the form, and its buttons (POST to publication_view) ------

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/publication/<str:action>/",
                self.admin_site.admin_view(require_POST(self.publication_view)),
                name="partnerships_agreement_publication",
            ),
            path(
                "deadlines-calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="partnerships_agreement_calendar",
            ),
            *super().get_urls(),
        ]

    def calendar_view(self, request: HttpRequest) -> HttpResponse:
        """The user's private deadlines calendar links, one per organisation they manage
        (partnerships/deadlines_ics.py): "revoke and make a new link" (POST), which shows the
        new link once — only its digest is stored."""
        user = request.user
        if not (user.is_authenticated and self.has_view_permission(request)):
            raise PermissionDenied
        organizations = Organization.objects.filter(pk__in=managed_organization_ids(user)).order_by(
            "name", "pk"
        )
        new_link = None
        if request.method == "POST":
            organization = organizations.filter(pk=request.POST.get("organization") or 0).first()
            if organization is None:
                raise Http404
            if request.POST.get("action") == "revoke":
                services.calendar_token_revoke(user=user, organization=organization)
                messages.success(request, _("The calendar link was revoked."))
                return HttpResponseRedirect(request.path)
            token = services.calendar_token_renew(user=user, organization=organization)
            new_link = (
                organization,
                request.build_absolute_uri(reverse("deadlines_ics", kwargs={"token": token})),
            )
        active = {
            calendar.organization_id: calendar
            for calendar in CalendarToken.objects.active().filter(user=user)
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deadlines calendar"),
            "rows": [(organization, active.get(organization.pk)) for organization in organizations],
            "new_link": new_link,
        }
        return TemplateResponse(request, "admin/partnerships/deadlines_calendar.html", context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), "publication": self._panel(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
        """Who approved which version and when, which parties are missing, and the buttons this
        user may press (the services check again on POST)."""
        administrator = is_administrator(request.user)
        managed = managed_organization_ids(request.user)
        parties = list(agreement.parties.select_related("organization"))
        approvals = list(agreement.approvals.select_related("organization", "approved_by"))
        # Key terms changed by a path that does not refresh the version (a party edited on its
        # own admin page): the next transition bumps it, so the approvals already no longer count.
        version = agreement.terms_version
        digest = services.key_terms_digest(agreement.key_terms())
        if agreement.terms_digest and digest != agreement.terms_digest:
            version += 1
        current = {a.organization_id: a for a in approvals if a.terms_version == version}
        party_ids = [party.organization_id for party in parties]
        may_change = self.has_change_permission(request, agreement)
        may_act = may_change and rules.may_act_on(
            administrator=administrator, managed_ids=managed, party_ids=party_ids
        )
        to_approve = [
            party
            for party in parties
            if party.organization_id not in current
            and rules.may_approve_for(
                administrator=administrator,
                managed_ids=managed,
                organization_id=party.organization_id,
            )
        ]
        publication = agreement.publication
        actions = []
        if may_act and publication in rules.SUBMIT_FROM:
            actions.append(("submit", _("Submit for review")))
        if may_change and publication in rules.APPROVE_FROM and to_approve:
            actions.append(("approve", _("Approve for my organisation")))
        if may_act and publication in rules.PUBLISH_FROM:
            actions.append(("publish", _("Publish")))
        if may_act and publication in rules.WITHDRAW_FROM:
            actions.append(("withdraw", _("Withdraw")))
        return {
            "state": agreement.get_publication_display(),
            # Before the save: changing a key term takes a published agreement off the site.
            "unpublish_warning": KEY_TERMS_UNPUBLISH_WARNING
            if publication == Agreement.Publication.PUBLISHED and may_change
            else "",
            "version": version,
            "parties": [
                {"organization": party.organization, "approval": current.get(party.organization_id)}
                for party in parties
            ],
            "earlier": [a for a in approvals if a.terms_version != version],
            "actions": actions,
        }

    def publication_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        agreement = self.get_object(request, unquote(object_id))
        if agreement is None:
            raise Http404
        if not self.has_change_permission(request, agreement):
            raise PermissionDenied
        user = request.user
        done = {
            "submit": _("Submitted for review: each party's managers can now approve it."),
            "approve": _("Approved the current key terms for: %(parties)s."),
            "publish": _("Published: the agreement is now public."),
            "withdraw": _("Withdrawn: the agreement is no longer public."),
        }
        if action not in done:
            raise Http404
        try:
            if action == "submit":
                services.agreement_submit_for_review(agreement=agreement, user=user)
                message = str(done[action])
            elif action == "approve":
                organizations = self._organizations_to_approve_for(request, agreement)
                for organization in organizations:
                    services.agreement_approve(
                        agreement=agreement, organization=organization, user=user
                    )
                message = str(done[action]) % {
                    "parties": ", ".join(str(o) for o in organizations) or "—"
                }
            elif action == "publish":
                services.agreement_publish(agreement=agreement, user=user)
                message = str(done[action])
            else:
                services.agreement_withdraw(agreement=agreement, user=user)
                message = str(done[action])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(
            reverse("admin:partnerships_agreement_change", args=[agreement.pk])
        )

    def _organizations_to_approve_for(
        self, request: HttpRequest, agreement: Agreement
    ) -> list[Organization]:
        """The parties the user manages that still lack an approval; for an administrator who
        manages none of them, every party that lacks one."""
        services.agreement_refresh_terms_version(agreement=agreement)
        missing = [party.organization for party in services.missing_approval_parties(agreement)]
        managed = managed_organization_ids(request.user)
        own = [organization for organization in missing if organization.pk in managed]
        if own or not is_administrator(request.user):
            return own
        return missing

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        refresh_key_terms(request, form.instance)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "previous":
            kwargs["widget"] = AutocompleteExcludingSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        previous = form.base_fields.get("previous")
        if obj is not None and obj.pk and previous is not None:
            # A new form class per request (modelform_factory), so this is this page's widget.
            widget = getattr(previous.widget, "widget", previous.widget)
            if isinstance(widget, AutocompleteExcludingSelect):
                widget.excluded_pk = obj.pk
        return form

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        excluded = request.GET.get("exclude", "")
        if request.GET.get("field_name") == "previous" and excluded.isdigit():
            queryset = queryset.exclude(pk=int(excluded))
        return queryset, may_have_duplicates

    @admin.display(description=_("ends on"))
    def computed_end(self, obj: Agreement) -> str:
        """The end date, given or counted from the start and the term length."""
        ends_on = obj.ends_on
        if ends_on is None:
            return "-"
        if obj.end_is_computed:
            return _("%(date)s (counted from the term)") % {"date": date_format(ends_on)}
        return date_format(ends_on)

    @admin.display(description=_("deadlines"))
    def deadlines_display(self, obj: Agreement) -> str:
        """The notice deadline and end of the current term (with automatic renewal: the next
        one), as the agreement page shows them; '-' when there is none ahead."""
        if obj.pk is None:
            return "-"
        deadlines = deadlines_on(obj, timezone.localdate())
        if deadlines is None:
            return "-"
        parts = []
        if deadlines.notice_deadline:
            parts.append(
                _("Notice deadline: %(date)s") % {"date": date_format(deadlines.notice_deadline)}
            )
        parts.append(_("End of term: %(date)s") % {"date": date_format(deadlines.end_of_term)})
        if obj.auto_renewal:
            parts.append(str(_("renews automatically unless notice is given")))
        return " · ".join(str(part) for part in parts)

    @admin.display(description=_("end of term"), ordering="term_end_on")
    def end_of_term(self, obj: Agreement) -> str:
        """The end of the current term, renewed automatically or not (``with_term_end``)."""
        end = getattr(obj, "term_end_on", None)
        return date_format(end) if end else "-"

    @admin.display(description=_("status"), ordering="current_status")
    def status_display(self, obj: Agreement) -> str:
        return obj.get_status_display()

    @admin.display(description=_("parties"))
    def party_names(self, obj: Agreement) -> str:
        return ", ".join(
            party.organization.short_name or str(party.organization) for party in obj.parties.all()
        )


# --- The parts of an agreement, each also reachable on its own --------------------------------


@admin.register(SigningEvent)
class SigningEventAdmin(
    ScopedAdminMixin,
    HistoryAdminMixin,
    LinkedFormsetsAdminMixin,
    nested_admin.NestedModelAdminMixin,
    TabbedTranslationAdmin,
):
    list_display = ("__str__", "agreement", "signed_on", "occasion", "place_label")
    list_filter = (("occasion", admin.RelatedOnlyFieldListFilter),)
    search_fields = (
        "agreement__title_en",
        "agreement__code",
        "occasion__name_en",
        "place__name_en",
        "venue_en",
    )
    list_select_related = ("agreement", "occasion", "place__parent")
    date_hierarchy = "signed_on"
    form = SigningEventStandaloneForm
    autocomplete_fields = ("agreement", "occasion", "place")
    fields = ("agreement", "signed_on", "occasion", "place", "venue", "description")
    inlines = (SignatureInline, AttendanceInline)

    class Media:
        js = (
            "partnerships/admin/party_choices.js",
            "partnerships/admin/nested_translation_tabs.js",
        )

    @admin.display(description=_("place"), ordering="place__name")
    def place_label(self, obj: SigningEvent) -> str:
        return obj.place.choice_label() if obj.place else "—"


@admin.register(AgreementParty)
class AgreementPartyAdmin(
    RefreshKeyTermsMixin, ScopedAdminMixin, HistoryAdminMixin, TabbedTranslationAdmin
):
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
    RefreshKeyTermsMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    list_display = ("__str__", "agreement", "position")
    search_fields = ("description_en", "description_de", "description_ja", "agreement__title_en")
    list_filter = ("agreement__kind",)
    list_select_related = ("agreement",)
    autocomplete_fields = ("agreement",)


@admin.register(Signature)
class SignatureAdmin(ScopedAdminMixin, HistoryAdminMixin, TabbedTranslationAdmin):
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
class AttendanceAdmin(ScopedAdminMixin, HistoryAdminMixin, TabbedTranslationAdmin):
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
    ScopedAdminMixin, HistoryAdminMixin, AnyLanguageAdminMixin, TabbedTranslationAdmin
):
    form = StatementForm
    list_display = ("person", "agreement", "organization", "original_language", "short_text")
    list_filter = ("original_language",)
    search_fields = (
        "person__given_name",
        "person__family_name",
        "text_en",
        "text_de",
        "text_ja",
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
    ScopedAdminMixin, HistoryAdminMixin, AnyLanguageAdminMixin, TabbedTranslationAdmin
):
    list_display = ("title", "kind", "agreement", "language", "published_on", "is_public")
    list_filter = ("kind", "language", "is_public")
    search_fields = (
        "title_en",
        "title_de",
        "title_ja",
        "url",
        "original_name",
        "agreement__title_en",
    )
    list_select_related = ("agreement",)
    date_hierarchy = "published_on"
    autocomplete_fields = ("agreement",)
    formfield_overrides = DOCUMENT_FILE_WIDGET

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
