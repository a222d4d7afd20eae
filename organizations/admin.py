"""Admin for regions, focus areas, organisations, people and their affiliations.

Every translated model uses modeltranslation's tabbed admin (one tab per language: en, de, ja).
Its jQuery UI comes from static/vendor/jquery-ui/ (``JQUERY_UI_URL`` in settings), not a CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationTabularInline,
)

from core import access
from core.admin.access import (
    AdministratorsOnlyMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    is_autocomplete,
)
from core.admin.concurrency import ConcurrencyAdminMixin
from core.admin.history import ArchiveInsteadOfDeleteMixin, HistoryAdminMixin
from core.admin.imports import SpreadsheetImportMixin
from core.admin.limits import BoundedInlineMixin
from core.admin.translations import TranslationStatusAdminMixin
from core.admin.widgets import WidgetsMixin
from core.caching import cached_summary
from core.languages import AnyLanguageAdminMixin, language_fields
from organizations import access as organization_access
from organizations import geocoding, invitations, logos
from organizations.embed import EmbedSnippetAdminMixin
from organizations.imports import AffiliationResource, OrganizationResource
from organizations.models import (
    Affiliation,
    ClusterManager,
    FocusArea,
    Organization,
    Person,
    Region,
)
from organizations.privacy import person_erase, person_export
from organizations.profile_admin import PROFILE_FIELDSET, OrganizationProfileForm
from organizations.search.organizations import exact_name_condition, organization_text_filter
from organizations.search.people import matching_people
from organizations.search.query import parse_query, text_conditions
from organizations.search.regions import region_document, region_terms

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class MemberTotal(TypedDict):
        member_total: int

    class OrganizationTotal(TypedDict):
        organization_total: int


# Search every language of a translated name: modeltranslation rewrites a plain ``name`` lookup to
# the active language only, so a German editor would not find "Bavaria" by its English name.
NAME_IN_ALL_LANGUAGES = language_fields("name")


class RegionListFilter(admin.SimpleListFilter):
    """Filter by a region *and everything below it* (Bavaria finds Munich's organisations).

    The choices are the regions actually used by the listed model, with their ancestors, so the
    sidebar stays short even with the full ISO 3166 tree loaded. Subclasses name the path from
    the model to its region in ``region_lookup``.
    """

    title = _("region")
    parameter_name = "region"
    region_lookup = "region"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        model = model_admin.model

        def used() -> list[int]:
            return list(
                model._default_manager.exclude(**{f"{self.region_lookup}__isnull": True})
                .order_by()
                .values_list(self.region_lookup, flat=True)
                .distinct()
            )

        # The regions in use, read from the whole table (0.3 s through the agreements' parties
        # at 20,000 agreements): a summary, kept until public data changes (core/caching.py).
        used_ids = cached_summary(
            f"admin-used-regions:{model._meta.label}:{self.region_lookup}", used
        )
        regions = Region.objects.filter(pk__in=used_ids).select_related(
            "parent", "parent__parent", "parent__parent__parent"
        )
        # Each used region and its ancestors, labelled with their parent ("Bavaria (Germany)",
        # Region.choice_label), grouped by country: sorted by the names from the top down.
        choices: dict[int, tuple[tuple[str, ...], str]] = {}
        for region in regions:
            chain: list[Region] = []
            node: Region | None = region
            while node is not None and len(chain) < 4:
                chain.insert(0, node)
                node = node.parent
            for depth, node in enumerate(chain):
                path = tuple(str(r.name).casefold() for r in chain[: depth + 1])
                choices[node.pk] = (path, node.choice_label())
        return [
            (pk, label) for pk, (_path, label) in sorted(choices.items(), key=lambda i: i[1][0])
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            region = Region.objects.get(pk=int(value))
        except (ValueError, Region.DoesNotExist):
            return queryset.none()
        ids = Region.objects.subtree_ids(region)
        return queryset.filter(**{f"{self.region_lookup}__in": ids}).distinct()


class CountryListFilter(admin.SimpleListFilter):
    """Regions inside one country (its states, districts, cities)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        countries = Region.objects.filter(kind=Region.Kind.COUNTRY, children__isnull=False)
        return [(c.pk, str(c)) for c in countries.distinct().order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            country = Region.objects.get(pk=int(value), kind=Region.Kind.COUNTRY)
        except (ValueError, Region.DoesNotExist):
            return queryset.none()
        return queryset.filter(pk__in=Region.objects.subtree_ids(country))


@admin.register(Region)
class RegionAdmin(
    ScopedAdminMixin, HistoryAdminMixin, AnyLanguageAdminMixin, TabbedTranslationAdmin
):
    list_display = ("name", "kind", "iso_code", "parent_link", "member_count")
    list_filter = ("kind", CountryListFilter)
    search_fields = (*NAME_IN_ALL_LANGUAGES, "iso_code", "aliases", "slug")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent", "members")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "parent", "aliases")}),
        (_("ISO 3166"), {"fields": ("iso_code", "iso_type")}),
        (_("Macro-region"), {"fields": ("members",)}),
        (_("Centroid"), {"fields": ("latitude", "longitude")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return (
            super()
            .get_queryset(request)
            .annotate(member_total=Count("members", distinct=True))
            # Labels name the region's parents (Region.autocomplete_label).
            .select_related("parent__parent__parent")
        )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Django's search (names in every language, ISO code, aliases), and the site search's
        normalised match as well, so that "Metropole" finds "Métropole de Lyon" and "Muenchen"
        finds München."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        query = parse_query(search_term)
        if query.is_empty:
            return found, may_have_duplicates
        normalised = Region.objects.filter(
            *text_conditions(query, document=region_document(), terms=region_terms())
        )
        combined = queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=normalised.values("pk")))
        return combined, may_have_duplicates

    @admin.display(description=_("parent region"), ordering="parent__name")
    def parent_link(self, obj: Region) -> str:
        return obj.parent.choice_label() if obj.parent else "—"

    @admin.display(description=_("includes"), ordering="member_total")
    def member_count(self, obj: WithAnnotations[Region, MemberTotal]) -> int:
        return obj.member_total


@admin.register(FocusArea)
class FocusAreaAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    ConcurrencyAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("name", "description")
    list_display = ("name", "slug", "organization_count")
    search_fields = (*NAME_IN_ALL_LANGUAGES, "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[FocusArea]:
        return (
            super()
            .get_queryset(request)
            .annotate(organization_total=Count("organizations", distinct=True))
        )

    @admin.display(description=_("organisations"), ordering="organization_total")
    def organization_count(self, obj: WithAnnotations[FocusArea, OrganizationTotal]) -> int:
        return obj.organization_total


class AffiliationOfPersonInline(ScopedInlineMixin, TranslationTabularInline):
    """On the person's page: where they work, in which position, and how public that is.

    A cluster manager sees and adds only the contact points at organisations they manage (the
    person's other positions are their organisations' own)."""

    model = Affiliation
    fk_name = "person"
    rows = "editable"
    extra = 0
    fields = (
        "organization",
        "position",
        "email",
        "phone",
        "visibility",
        "is_current",
        "entered_by",
    )
    readonly_fields = ("entered_by",)
    autocomplete_fields = ("organization",)

    def scope_choices(self, request: HttpRequest, field_name: str, qs: QuerySet):
        # The organisations they manage, and their partners on shared agreements (a partner's
        # signatory given a position there, marked as entered for the partner).
        if field_name == "organization":
            return organization_access.affiliation_organizations(request.user, qs)
        return super().scope_choices(request, field_name, qs)

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new person (often the "+" next to a signatory) starts with one empty position row:
        # no "Add another" click first. Left untouched, it is not saved.
        return 1 if obj is None else 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("organization")


class AffiliationAtOrganizationInline(ScopedInlineMixin, TranslationTabularInline):
    """On the organisation's page: its people (contact points); another organisation's page
    shows a cluster manager only its publishable ones, read-only."""

    model = Affiliation
    fk_name = "organization"
    extra = 0
    fields = ("person", "position", "email", "phone", "visibility", "is_current")
    autocomplete_fields = ("person",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("person")


class ChildOrganizationInline(ScopedInlineMixin, admin.TabularInline):
    """Read-only list of the organisations that name this one as their parent.

    A child's parent is edited on the child's own page (one place for one fact).
    """

    model = Organization
    fk_name = "parent"
    verbose_name = _("part of this organisation")
    verbose_name_plural = _("parts of this organisation")
    fields = ("name", "kind", "region")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return super().get_queryset(request).select_related("region")


class ClusterManagerInline(BoundedInlineMixin, WidgetsMixin, admin.TabularInline):
    """On the organisation's page, for administrators only: the staff accounts that manage it.
    A cluster manager never sees it, so cannot grant themselves (or anyone) rights."""

    model = ClusterManager
    extra = 0
    fields = ("user",)
    verbose_name = _("cluster manager")
    verbose_name_plural = _("cluster managers (staff accounts that edit this organisation)")

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.is_administrator(request.user) and super().has_delete_permission(request, obj)


INVITED = _("%(email)s is invited: an e-mail with a link to choose a password is on its way.")


class OrganizationRegionListFilter(RegionListFilter):
    region_lookup = "region"


class UsedRelatedOnlyListFilter(admin.RelatedOnlyFieldListFilter):
    """Django's "related only" filter of a many-to-many field of a model every user sees whole
    (organisations), its rows in use read once per content generation (a cached summary): the
    focus areas in use went through every organisation's focus areas, 0.15–0.2 s per request
    of the list at 100,000 organisations (issue 24)."""

    def field_choices(self, field, request: HttpRequest, model_admin: admin.ModelAdmin):
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()

        def used() -> list[int]:
            return sorted(set(through.objects.values_list(target, flat=True).distinct()))

        label = model_admin.model._meta.label
        ids = cached_summary(f"admin-used:{label}:{self.field_path}", used)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": ids}, ordering=ordering
        )


class PersonOrganizationListFilter(admin.SimpleListFilter):
    """People at one organisation. The choices are the organisations the user manages and the
    one chosen (linked from elsewhere): Django's "related only" filter listed every organisation
    anyone is affiliated with — 40,000 links, 2.6 MB, at 50,000 people (issue 24). Its
    parameter stays Django's, so links to it keep working."""

    title = _("organisation")
    parameter_name = "affiliations__organization__id__exact"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        ids = set(access.managed_organization_ids(request.user))
        value = self.value()
        if value and value.isdigit():
            ids.add(int(value))
        return [(o.pk, str(o)) for o in Organization.objects.filter(pk__in=ids).order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        at = Affiliation.objects.filter(organization_id=int(value)).values("person_id")
        return queryset.filter(pk__in=at)


@admin.register(Organization)
class OrganizationAdmin(
    EmbedSnippetAdminMixin,  # the partners widget's snippet (organizations/embed.py)
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    SpreadsheetImportMixin,
    ConcurrencyAdminMixin,
    ArchiveInsteadOfDeleteMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("name", "description")
    translation_queue_by_views = True  # its public page counts views (core/pageviews.py)
    list_display = ("name", "short_name", "kind", "region_label", "parent", "updated_at")
    # No second count of the whole table ("N of 100,000 selected"): see AgreementAdmin.
    show_full_result_count = False
    # The model's order with the key last (in English along organizations_org_name_en).
    ordering = ("name", "pk")
    list_filter = (
        "kind",
        "is_archived",
        "location_source",
        OrganizationRegionListFilter,
        ("focus_areas", UsedRelatedOnlyListFilter),
    )
    search_fields = (
        *NAME_IN_ALL_LANGUAGES,
        "short_name",
        "legal_name",
        "slug",
        "locality",
        "region__name_en",
        "region__iso_code",
    )
    list_select_related = ("region__parent", "parent")
    resource_classes = [OrganizationResource]  # spreadsheets (organizations/imports.py)
    autocomplete_fields = ("region", "parent", "focus_areas", "target_regions")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at", "position_from")
    form = OrganizationProfileForm  # the partner profile's fields (organizations/profile_admin.py)
    inlines = (AffiliationAtOrganizationInline, ChildOrganizationInline, ClusterManagerInline)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "legal_name", "slug", "kind", "parent")}),
        (
            _("Where"),
            {"fields": ("region", "street_address", "postal_code", "locality")},
        ),
        (
            _("Map position"),
            {
                "fields": (("latitude", "longitude"), "position_from"),
                "description": _(
                    "Placed from the locality (or the region's centre) when the organisation is "
                    "saved. Type coordinates to set the position by hand; clear both to let the "
                    "gazetteer place it again."
                ),
            },
        ),
        (_("Contact"), {"fields": ("website", "email", "phone")}),
        (_("Profile"), {"fields": ("description", "focus_areas")}),
        PROFILE_FIELDSET,
        (_("Record"), {"fields": ("is_archived", "created_at", "updated_at")}),
    )

    @admin.display(description=_("position from"))
    def position_from(self, obj: Organization) -> str:
        """Where the position came from; for a region's centre, which region (one query)."""
        if obj.pk is None:
            return str(_("Placed when the organisation is saved."))
        chain = Region.objects.breadcrumb(obj.region) if obj.location_source == "region" else []
        return geocoding.describe(obj, chain)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Through the public search's trigram and terms indexes (names in every language,
        short and legal names, locality, description, focus areas, the region's names):
        Django's search ORed ILIKEs over eight columns and the region's, a scan of every
        organisation — 0.7 s at 100,000 for each keystroke of an autocomplete (issue 24)."""
        query = parse_query(search_term)
        if query.is_empty:
            return queryset, False
        return organization_text_filter(queryset, query), False

    def save_model(self, request: HttpRequest, obj: Organization, form, change: bool) -> None:
        geocoding.organization_position_before_save(organization=obj, changed=form.changed_data)
        logos.logo_before_save(organization=obj, changed=form.changed_data)
        super().save_model(request, obj, form, change)

    # --- Invite a manager (organizations/invitations.py) ------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="{}_{}_invite".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_invite_manager": obj is not None
            and organization_access.may_invite_manager(request.user, obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        organization = self.get_object(request, object_id)
        if organization is None:
            raise Http404
        if not organization_access.may_invite_manager(request.user, organization):
            raise PermissionDenied
        form = invitations.InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = invitations.manager_invite(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    invited_by=request.user,
                    role=form.cleaned_data["role"] or "manager",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    INVITED % {"email": user.email},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:organizations_organization_change", args=[organization.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": organization,
            "object": organization,
            "form": form,
            "title": _("Invite a manager of %(organization)s") % {"organization": organization},
        }
        return TemplateResponse(request, "admin/organizations/organization/invite.html", context)

    @admin.display(description=_("region"), ordering="region__name")
    def region_label(self, obj: Organization) -> str:
        return obj.region.choice_label()


@admin.register(Person)
class PersonAdmin(
    ScopedAdminMixin,
    ConcurrencyAdminMixin,
    ArchiveInsteadOfDeleteMixin,
    HistoryAdminMixin,
    TabbedTranslationAdmin,
):
    list_display = ("full_name", "native_name", "organizations", "updated_at")
    list_filter = ("is_archived", "native_name_order", PersonOrganizationListFilter)
    show_full_result_count = False  # see AgreementAdmin
    # The model's order with the key last, along the name index (organizations_person_names).
    ordering = ("family_name", "given_name", "pk")
    search_fields = (
        "given_name",
        "family_name",
        "native_name",
        "native_name_reading",
        "slug",
        "affiliations__organization__name_en",
        "affiliations__organization__short_name",
    )
    prepopulated_fields = {"slug": ("given_name", "family_name")}
    readonly_fields = ("created_at", "updated_at")
    inlines = (AffiliationOfPersonInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "honorific",
                    "given_name",
                    "family_name",
                    ("native_name", "native_name_reading"),
                    "native_name_order",
                    "slug",
                )
            },
        ),
        (_("Record"), {"fields": ("is_archived", "created_at", "updated_at")}),
    )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is Affiliation:
            organization_access.mark_entered_for_partners(
                request.user, [f.instance for f in formset.forms if f.instance.pk is None]
            )
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        queryset = super().get_queryset(request)
        if is_autocomplete(request):
            return queryset  # the autocomplete lists names only
        return queryset.prefetch_related("affiliations__organization")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # The organisation filter keeps Django's parameter, which Django checks as a lookup.
        if lookup == PersonOrganizationListFilter.parameter_name:
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Names through the site search's person indexes, or an organisation of theirs named
        exactly so (any of its names or its short name; the names' index): see
        OrganizationAdmin.get_search_results."""
        query = parse_query(search_term)
        if query.is_empty:
            return queryset, False
        # The people of the organisations named so are read first, as a list: a few, or none.
        # As a subquery in the condition they hid the name match's selectivity from the planner,
        # which then read every person in name order for a rare name; and a union of both (as
        # before) matched and sorted every person for a broad term (2 s at 50,000 people).
        organizations = Organization.objects.filter(exact_name_condition(query.phrase))
        at = set(
            Affiliation.objects.filter(organization__in=organizations)
            .order_by()
            .values_list("person_id", flat=True)
        )
        condition = matching_people(query)
        if at:
            condition |= Q(pk__in=sorted(at))
        return queryset.filter(condition), False

    # --- Privacy requests (organizations/privacy.py) ---------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/export/",
                wrap(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "<path:object_id>/erase/", wrap(self.erase_view), name="{}_{}_erase".format(*info)
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export_person": request.user.has_perm("organizations.export_person"),
            "can_erase_person": request.user.has_perm("organizations.erase_person"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm("organizations.export_person"):
            raise PermissionDenied
        person = self.get_object(request, object_id)
        if person is None:
            raise Http404
        if not access.can_edit(request.user, person):
            raise PermissionDenied  # administrators, or a manager of one of their organisations
        response = JsonResponse(
            person_export(person=person), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
        return response

    def erase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm("organizations.erase_person"):
            raise PermissionDenied
        person = self.get_object(request, object_id)
        if person is None:
            raise Http404
        if not access.can_edit(request.user, person):
            raise PermissionDenied  # administrators, or a manager of one of their organisations
        if request.method == "POST":
            person_erase(person=person)
            self.message_user(request, _("The personal data was erased."), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:organizations_person_change", args=[person.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": person,
            "title": _("Erase personal data"),
        }
        return TemplateResponse(request, "admin/organizations/person/erase.html", context)

    @admin.display(description=_("name"), ordering="family_name")
    def full_name(self, obj: Person) -> str:
        return obj.display_name("en")

    @admin.display(description=_("organisations"))
    def organizations(self, obj: Person) -> str:
        names = sorted(
            {a.organization.short_name or str(a.organization) for a in obj.affiliations.all()}
        )
        return ", ".join(names) or "—"


@admin.register(Affiliation)
class AffiliationAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    SpreadsheetImportMixin,
    ConcurrencyAdminMixin,
    HistoryAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("position",)
    editable_choice_fields = ("organization",)
    list_display = ("person", "organization", "position", "visibility", "is_current")
    list_filter = ("visibility", "is_current", "organization__kind")
    search_fields = (
        "person__given_name",
        "person__family_name",
        "person__native_name",
        "organization__name_en",
        "organization__short_name",
        *language_fields("position"),
        "email",
    )
    list_select_related = ("person", "organization")
    resource_classes = [AffiliationResource]  # people and their contact points, from spreadsheets
    autocomplete_fields = ("person", "organization")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        # __str__ names the person and the organisation: the autocomplete view needs them too.
        return super().get_queryset(request).select_related("person", "organization")


@admin.register(ClusterManager)
class ClusterManagerAdmin(AdministratorsOnlyMixin, HistoryAdminMixin, admin.ModelAdmin):
    """Which staff account manages which organisation: administrators only."""

    list_display = ("user", "organization")
    list_select_related = ("user", "organization")
    search_fields = (
        "user__username",
        "user__email",
        "organization__name_en",
        "organization__short_name",
    )
    autocomplete_fields = ("organization",)
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
