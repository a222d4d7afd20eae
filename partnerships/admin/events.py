"""Events (the occasions of a signing) and signing events, each with its own page."""

from __future__ import annotations

import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin.access import ScopedAdminMixin
from core.admin.concurrency import ConcurrencyAdminMixin
from core.admin.history import HistoryAdminMixin
from core.admin.translations import TranslationStatusAdminMixin
from core.languages import AnyLanguageAdminMixin, language_fields
from partnerships.admin.base import NAME_IN_ALL_LANGUAGES, LinkedFormsetsAdminMixin
from partnerships.admin.filters import EventRegionListFilter
from partnerships.admin.inlines import AttendanceInline, SignatureInline
from partnerships.admin_forms import (
    SigningEventStandaloneForm,
)
from partnerships.models import (
    Event,
    SigningEvent,
)


@admin.register(Event)
class EventAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    ConcurrencyAdminMixin,
    HistoryAdminMixin,
    AnyLanguageAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("name", "description", "venue")
    translation_queue_by_views = True  # its public page counts views (core/pageviews.py)
    list_display = ("name", "starts_on", "ends_on", "region_label", "organizer")
    list_filter = (EventRegionListFilter, ("organizer", admin.RelatedOnlyFieldListFilter))
    search_fields = (*NAME_IN_ALL_LANGUAGES, "slug", *language_fields("venue"))
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


@admin.register(SigningEvent)
class SigningEventAdmin(
    TranslationStatusAdminMixin,
    ScopedAdminMixin,
    HistoryAdminMixin,
    LinkedFormsetsAdminMixin,
    nested_admin.NestedModelAdminMixin,
    TabbedTranslationAdmin,
):
    # The translation status column and filter (core/admin/translations.py).
    translation_status_fields = ("venue", "description")
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
