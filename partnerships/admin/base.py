"""What the agreement page and the signing-event page share."""

from __future__ import annotations

from django.http import HttpRequest

from core.languages import language_fields
from partnerships.admin_forms import (
    PageFormsetsMixin,
    PartyFormSet,
)

TITLE_IN_ALL_LANGUAGES = language_fields("title")
NAME_IN_ALL_LANGUAGES = language_fields("name")


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
