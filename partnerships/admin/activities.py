"""Commitments and activities (issue 21): what the parties promised, and what they did.

"Add activity" is the activity's add page, opened from the agreement page or the dashboard with
the agreement and the manager's own party already chosen (``?agreement=<id>&parties=<id>``):
kind, date, description and visibility are all that is left to fill in — the period, place,
results, evidence and commitments wait, folded, for those who have them. The parties and the
commitments on offer are those of the chosen agreement only, as check boxes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core import access
from core.admin.access import ScopedAdminMixin
from core.admin.history import HistoryAdminMixin
from core.admin.imports import SpreadsheetImportMixin
from core.admin.translations import TranslationStatusAdminMixin
from core.languages import AnyLanguageAdminMixin, language_fields
from organizations.models import Region
from partnerships import health, reports
from partnerships.admin.widgets import EVIDENCE_FILE_WIDGET
from partnerships.dashboard import add_activity_url
from partnerships.imports import NOT_OWN_PARTY, ActivityResource
from partnerships.models import Activity, AgreementParty, Commitment
from partnerships.uploads import evidence_file_response


def _with_format(query: Any, fmt: str) -> str:
    query = query.copy()
    query["format"] = fmt
    return query.urlencode()


class DormantFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("My organisations only"), required=False)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        help_text=_("The region's name or its code in the address (e.g. bavaria)."),
    )
    ending_within = forms.IntegerField(
        label=_("Ending within (months)"), required=False, min_value=1, max_value=120
    )

    def clean_region(self) -> Region | None:
        value = (self.cleaned_data.get("region") or "").strip()
        if not value:
            return None
        region = (
            Region.objects.filter(slug=value).first()
            or Region.objects.filter(name__iexact=value).order_by("pk").first()
        )
        if region is None:
            raise forms.ValidationError(_("No region of that name."))
        return region

    def filters(self) -> reports.DormantFilters:
        data = self.cleaned_data
        return reports.DormantFilters(
            mine=bool(data.get("mine")),
            region=data.get("region"),
            ending_within=data.get("ending_within"),
        )


def _agreement_id(request: HttpRequest, obj: Any = None) -> int | None:
    """The agreement the page is about: the saved one, else the one posted or in the link."""
    if obj is not None and obj.agreement_id:
        return obj.agreement_id
    value = request.POST.get("agreement") or request.GET.get("agreement")
    try:
        return int(value) if value else None
    except ValueError:
        return None


class AgreementRowsMixin:
    """Many-to-many fields to the agreement's own parties and commitments: only those of the
    agreement the page is about (scoped by ``core/access.py``), as check boxes; before an
    agreement is chosen, none."""

    agreement_row_fields: tuple[str, ...] = ()

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        request._agreement_rows_of = _agreement_id(request, obj)  # type: ignore[attr-defined]
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name in self.agreement_row_fields:
            agreement_id = getattr(request, "_agreement_rows_of", None)
            queryset = db_field.related_model._default_manager.filter(agreement_id=agreement_id)
            if db_field.related_model is AgreementParty:
                queryset = queryset.select_related("organization")
            kwargs["queryset"] = access.choices(request.user, queryset)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(Commitment)
class CommitmentAdmin(
    TranslationStatusAdminMixin,
    AgreementRowsMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("text",)
    list_display = ("__str__", "agreement", "cooperation_area", "position")
    search_fields = (*language_fields("text"), "agreement__title_en", "agreement__code")
    list_select_related = ("agreement", "cooperation_area")
    autocomplete_fields = ("agreement", "cooperation_area")
    fields = ("agreement", "cooperation_area", "text", "responsible_parties", "position")
    agreement_row_fields = ("responsible_parties",)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("agreement", "parties", "commitments")  # the admin adds its fieldsets

    user: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement = data.get("agreement")
        if agreement is None:
            return data
        for name in ("parties", "commitments"):
            rows = data.get(name) or []
            if any(row.agreement_id != agreement.pk for row in rows):
                self.add_error(name, _("Choose among this agreement's own."))
        parties = data.get("parties") or []
        managed = access.managed_organization_ids(self.user)
        if (
            parties
            and not access.is_administrator(self.user)
            and not any(party.organization_id in managed for party in parties)
        ):
            self.add_error("parties", NOT_OWN_PARTY)
        return data


@admin.register(Activity)
class ActivityAdmin(
    TranslationStatusAdminMixin,
    SpreadsheetImportMixin,
    AgreementRowsMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("description",)
    form = ActivityForm
    resource_classes = [ActivityResource]
    list_display = ("starts_on", "kind", "agreement", "visibility", "place")
    list_filter = ("kind", "visibility")
    search_fields = (*language_fields("description"), "place", "agreement__title_en")
    list_select_related = ("agreement",)
    # Not counted twice (as the agreements): the unfiltered count of 500,000 activities at the
    # benchmark's size through the manager's scope.
    show_full_result_count = False
    # No date hierarchy: its first level reads the distinct years of every activity the user
    # may see (0.8 s at 500,000). The list is newest first; the agreement's link filters it.
    autocomplete_fields = ("agreement",)
    formfield_overrides = EVIDENCE_FILE_WIDGET
    agreement_row_fields = ("parties", "commitments")
    fieldsets = (
        (
            None,
            {"fields": ("agreement", "kind", "starts_on", "parties", "description", "visibility")},
        ),
        (
            _("Period, place and commitments"),
            {"classes": ("collapse",), "fields": ("ends_on", "place", "commitments")},
        ),
        (
            _("Results"),
            {
                "classes": ("collapse",),
                "fields": ("companies", "meetings", "introductions", "projects", "funding"),
            },
        ),
        (_("Evidence"), {"classes": ("collapse",), "fields": ("evidence_url", "evidence_file")}),
    )

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", Activity.Kind.OTHER)
        return initial

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "dormant/",
                self.admin_site.admin_view(self.dormant_view),
                name="partnerships_activity_dormant",
            ),
            path(
                "<path:object_id>/evidence/",
                self.admin_site.admin_view(self.evidence_view),
                name="partnerships_activity_evidence",
            ),
            *super().get_urls(),
        ]

    def dormant_view(self, request: HttpRequest) -> HttpResponse:
        """ "Dormant and at-risk partnerships": the agreements the user may see whose health
        calls for a look before the renewal (partnerships/reports.py), as a page, CSV or XLSX."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DormantFilterForm(request.GET or None)
        filters = form.filters() if form.is_valid() else reports.DormantFilters()
        agreements = reports.dormant_and_at_risk(request.user, filters)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            header, cells = reports.risk_table(reports.risk_rows(agreements))
            name = reports.download_name("dormant-and-at-risk")
            if fmt == "csv":
                return reports.csv_response(header, cells, name)
            title = str(_("Dormant and at-risk"))
            return reports.xlsx_response([(title, header, cells)], name)
        rows = reports.risk_rows(agreements[: reports.PAGE_ROWS + 1])
        query = request.GET.copy()
        query.pop("format", None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dormant and at-risk partnerships"),
            "form": form,
            "rows": rows[: reports.PAGE_ROWS],
            "more": len(rows) > reports.PAGE_ROWS,
            "months": health.dormant_months(),
            "downloads": [
                (label, f"?{_with_format(query, fmt)}")
                for label, fmt in (("CSV", "csv"), ("XLSX", "xlsx"))
            ],
        }
        return TemplateResponse(request, "admin/partnerships/dormant_report.html", context)

    def evidence_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        """The evidence file of any activity the user may see, public or not."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        activity = self.get_object(request, unquote(object_id))
        if activity is None or not activity.evidence_file:
            raise Http404
        return evidence_file_response(activity)


RECENT_ACTIVITIES_SHOWN = 5


def life_panel(request: HttpRequest, agreement: Any, *, site_name: str = "admin") -> dict[str, Any]:
    """The agreement page's "Activities" panel: its health in one sentence, dormant or not, the
    latest activities the user may see, and "Add activity" with their own party chosen. Three
    queries: the health, the latest activities, the user's own parties."""
    state = health.health_for(agreement)
    latest = list(
        access.visible(request.user, Activity.objects.filter(agreement=agreement))
        .order_by("-starts_on", "-pk")
        .only("pk", "kind", "starts_on", "visibility")[:RECENT_ACTIVITIES_SHOWN]
    )
    managed = access.managed_organization_ids(request.user)
    own = list(
        AgreementParty.objects.filter(agreement=agreement, organization__in=managed)
        .order_by("pk")
        .values_list("pk", flat=True)[:1]
    )
    may_add = request.user.has_perm("partnerships.add_activity") and access.can_edit(
        request.user, agreement
    )
    return {
        "health": state,
        "sentence": health.health_sentence(state),
        "latest": latest,
        "add_url": add_activity_url(agreement.pk, own, site_name) if may_add else "",
        "list_url": reverse("admin:partnerships_activity_changelist", current_app=site_name)
        + f"?agreement__id__exact={agreement.pk}",
    }
