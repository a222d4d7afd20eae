"""The agreement page: the agreement's admin with its publication panel and calendar-token view,
and the warning shown when a published agreement's key terms change."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

import nested_admin
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin

from core.access import managed_organization_ids, may_change_facts
from core.admin.access import ScopedAdminMixin
from core.admin.concurrency import ConcurrencyAdminMixin
from core.admin.history import HistoryAdminMixin
from core.admin.imports import SpreadsheetImportMixin
from core.admin.translations import TranslationStatusAdminMixin
from core.languages import AnyLanguageAdminMixin
from core.typography import join_list
from organizations.models import Organization
from partnerships import access, rules, services, terms
from partnerships.admin.activities import life_panel
from partnerships.admin.base import TITLE_IN_ALL_LANGUAGES, LinkedFormsetsAdminMixin
from partnerships.admin.comments import AgreementCommentsMixin
from partnerships.admin.filters import (
    AwaitingApprovalListFilter,
    ExpiringListFilter,
    MyOrganizationsListFilter,
    PartyRegionListFilter,
    SigningYearListFilter,
    StatusListFilter,
)
from partnerships.admin.guide import GuidedAgreementMixin
from partnerships.admin.inlines import (
    AgreementContactInline,
    CooperationAreaInline,
    DocumentInline,
    PartyInline,
    ReminderInline,
    SigningEventInline,
    StatementInline,
)
from partnerships.admin.widgets import AutocompleteExcludingSelect
from partnerships.imports import AgreementResource
from partnerships.intake.views import intake_view
from partnerships.models import (
    Agreement,
    AgreementQuerySet,
    CalendarToken,
)

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
    services.agreement_refresh_terms_version(agreement=agreement, user=request.user)
    tell_key_terms_change(request, agreement, before)


def tell_key_terms_change(
    request: HttpRequest, agreement: Agreement, before: tuple[int, str]
) -> None:
    """Tell the editor what a key-terms refresh did, given (terms version, publication) before
    the save (or restore)."""
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


def error_places(formset, within: str = "") -> list[dict[str, str]]:
    """Every error of ``formset``'s rows and of the rows nested in them (django-nested-admin's
    ``nested_formsets``), each as {"label", "anchor", "message"}: the label names the row by its
    kind and number ("Signing 1, signature 2"), the anchor is the row's id on the page."""
    if not formset.is_bound:
        return []
    kind = str(formset.model._meta.verbose_name)
    kind = kind if within else capfirst(kind)
    places = [
        {"label": f"{within}{kind}", "anchor": f"{formset.prefix}-group", "message": str(error)}
        for error in formset.non_form_errors()
    ]
    for number, form in enumerate(formset.forms, start=1):
        label = f"{within}{kind} {number}"
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                message = f"{field.label}: {error}" if field is not None else str(error)
                places.append({"label": label, "anchor": form.prefix, "message": message})
        for nested in getattr(form, "nested_formsets", None) or []:
            places += error_places(nested, f"{label}, ")
    return places


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
    AgreementCommentsMixin,  # the partners' thread (partnerships/admin/comments.py)
    TranslationStatusAdminMixin,
    GuidedAgreementMixin,  # complete sections closed, what is missing (partnerships/admin/guide.py)
    ScopedAdminMixin,
    SpreadsheetImportMixin,
    ConcurrencyAdminMixin,
    HistoryAdminMixin,
    LinkedFormsetsAdminMixin,
    AnyLanguageAdminMixin,
    nested_admin.NestedModelAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("title", "summary", "terms")
    translation_queue_by_views = True  # its public page counts views (core/pageviews.py)
    translation_status_originals = {"title": "original_title"}  # the title in the signed language
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
    # "N of M selected" without counting the whole table a second time (the filtered count
    # stays): the unfiltered count of 20,000 agreements through the manager's scope.
    show_full_result_count = False
    # The history list's tools plus "Record from a press release" (issue 20, the intake).
    change_list_template = "admin/partnerships/agreement/change_list.html"
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
        (_("Builds on"), {"fields": ("previous", "lineage"), "classes": ("collapse",)}),
        (
            _("Text"),
            {
                "fields": (
                    "terms",
                    "authentic_languages",
                    "original_title",
                    "original_title_language",
                )
            },
        ),
        (
            _("Publication"),
            {"fields": ("publication", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )
    # Recording a new agreement (modeltranslation's admin uses add_fieldsets for the add page,
    # as Django's UserAdmin does): what a two-party memorandum needs first — its title, kind and
    # dates — then the parties and the signing below; everything optional in closed sections.
    add_fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "state")}),
        (
            _("Dates and term"),
            {
                "fields": (
                    "signed_on",
                    "effective_from",
                    "term",
                    ("term_length", "term_length_unit"),
                    "valid_until",
                    ("notice_period", "notice_period_unit"),
                    "auto_renewal",
                ),
            },
        ),
        (
            _("Scope, summary and code (optional)"),
            {"fields": ("focus_areas", "summary", "code"), "classes": ("collapse",)},
        ),
        (
            _("Text of the terms (optional)"),
            {
                "fields": (
                    "terms",
                    "authentic_languages",
                    "original_title",
                    "original_title_language",
                ),
                "classes": ("collapse",),
            },
        ),
        (
            _("Builds on, ended (optional)"),
            {"fields": ("previous", "lineage", "terminated_on"), "classes": ("collapse",)},
        ),
    )
    # Inlines closed on the add page: what is not needed to record a memorandum first.
    optional_inlines_when_adding = (
        CooperationAreaInline,
        StatementInline,
        AgreementContactInline,
        DocumentInline,
    )

    def get_inline_instances(self, request: HttpRequest, obj=None):
        instances = super().get_inline_instances(request, obj)
        if obj is None or obj.pk is None:
            # Nothing sent yet about an agreement being recorded.
            instances = [i for i in instances if not isinstance(i, ReminderInline)]
            for instance in instances:
                if isinstance(instance, self.optional_inlines_when_adding):
                    instance.classes = [*(instance.classes or ()), "collapse"]
        return instances

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix: str):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        managed = managed_organization_ids(request.user)
        if (
            isinstance(inline, PartyInline)
            and request.method == "GET"
            and obj is not None
            and obj.pk is None
            and len(managed) == 1
        ):
            # The manager's own organisation, prefilled as the first party (a GET only: on a
            # POST the row counts as entered, not as an untouched initial value).
            kwargs["initial"] = [{"organization": next(iter(managed))}]
        return kwargs

    class Media:
        js = (
            "partnerships/admin/party_choices.js",
            "partnerships/admin/nested_translation_tabs.js",
            "partnerships/admin/first_error.js",
            "partnerships/admin/signing_date.js",
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        agreements = cast(AgreementQuerySet, super().get_queryset(request))
        return agreements.with_status().with_term_end().prefetch_related("parties__organization")

    def get_ordering(self, request: HttpRequest) -> list[Any] | tuple[Any, ...]:
        # "Term ends within N months": the soonest first (an expression: get_queryset orders
        # before it annotates ``term_end_on``).
        if request.GET.get(ExpiringListFilter.parameter_name):
            end = terms.current_end_expression(timezone.localdate())
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
            path(  # issue 20: the intake (partnerships/intake/views.py)
                "intake/",
                self.admin_site.admin_view(partial(intake_view, model_admin=self)),
                name="partnerships_agreement_intake",
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
            extra_context = {
                **(extra_context or {}),
                "publication": self._panel(request, obj),
                "life": life_panel(request, obj, site_name=self.admin_site.name),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
        """Who approved which version and when, which parties are missing, and the buttons this
        user may press (the services check again on POST)."""
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
        may_act = may_change and access.may_take_publication_steps(request.user, party_ids)
        to_approve = [
            party
            for party in parties
            if party.organization_id not in current
            and access.may_approve_for(request.user, party.organization_id)
        ]
        publication = agreement.publication
        actions = []
        if may_act and publication in rules.SUBMIT_FROM:
            actions.append(("submit", _("Submit for review")))
        if may_change and publication in rules.APPROVE_FROM and to_approve:
            actions.append(("approve", _("Approve for my organisation")))
        # "Publish" only when it would succeed (services.agreement_publish checks again);
        # before that, the panel says what is missing and who still has to approve.
        missing = [party.organization for party in parties if party.organization_id not in current]
        blockers: list[str] = []
        complete = agreement.state == Agreement.State.CONCLUDED and len(parties) >= 2
        if publication in rules.PUBLISH_FROM:
            if not complete:
                blockers.append(
                    str(_("It can be published once it is concluded, with at least two parties."))
                )
            if missing:
                blockers.append(
                    _("Waiting for the approval of: %(parties)s.") % {"parties": join_list(missing)}
                )
        # An administrator may publish without the approvals (services.check_approved).
        if (
            may_act
            and publication in rules.PUBLISH_FROM
            and complete
            and (access.may_publish_unapproved(request.user) or not missing)
        ):
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
            "blockers": blockers,
            "actions": actions,
        }

    def publication_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        agreement = self.get_object(request, unquote(object_id))
        if agreement is None:
            raise Http404
        if not self.has_change_permission(request, agreement):
            raise PermissionDenied
        user = request.user
        if not may_change_facts(user):
            raise PermissionDenied  # a translator changes texts only (core/access.py)
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
                message = str(done[action]) % {"parties": join_list(organizations) or "—"}
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
        return access.organizations_to_approve_for(request.user, missing)

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        # Where each error of a row is ("Signing 1, signature 1: person: …"), linked, above the
        # form: a nested row's error is otherwise found only by scrolling the whole page.
        context["error_places"] = [
            place
            for inline in context.get("inline_admin_formsets", [])
            for place in error_places(inline.formset)
        ]
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def history_snapshot(self, obj: Agreement | None) -> object:
        return (obj.terms_version, obj.publication) if obj is not None else None

    def history_restored(self, request: HttpRequest, before: object, obj: Agreement) -> None:
        # The restore ran the key-terms refresh (core.history.after_restore): say what it did.
        if before is not None:
            tell_key_terms_change(request, obj, cast(tuple[int, str], before))

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
        deadlines = terms.deadlines_on(obj, timezone.localdate())
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
