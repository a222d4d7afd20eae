"""``PortalAdminSite``: the admin site every app's ModelAdmins register with (``admin.site``).

The portal's site class (``portal/two_factor.py``, named in ``PortalAdminConfig.default_site``)
adds the project's wiring to it — the second factor at login, its enrolment page, the managers'
dashboard on the start page — so that apps register with ``admin.site`` without importing portal,
and everything that is the admin's own mechanism is here, below every app:

- the **autocomplete** view, through Django's documented hook (:meth:`autocomplete_view`): its
  results are labelled by ``autocomplete_label()`` (``core/admin/autocomplete.py``);
- **"view on site"** for a record the user may view in the admin only (:meth:`view_on_site`).
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin.autocomplete import AutocompleteJsonView


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, with the portal's autocomplete and "view on site" (module docstring)."""

    site_header = _("Cluster Partnership Portal")
    site_title = _("Cluster Partnership Portal")
    index_title = _("Records")

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        # Django's own body, with the portal's view: a JsonResponse, typed as any response.
        return cast(HttpResponse, AutocompleteJsonView.as_view(admin_site=self)(request))

    def get_urls(self):
        return [
            # Before Django's own "r/…" (same name): the shortcut redirects only to what the
            # user may see.
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            # Each staff account's own e-mail preferences (core/admin/preferences.py).
            path("my-emails/", self.admin_view(self.my_emails_view), name="my_emails"),
            path(
                "translations/",
                self.admin_view(self.translation_queue),
                name="translation_queue",
            ),
            *super().get_urls(),
        ]

    def my_emails_view(self, request: HttpRequest) -> HttpResponse:
        from core.admin.preferences import my_emails_view  # registers a ModelAdmin on import

        return my_emails_view(request, self)

    def translation_queue(self, request: HttpRequest) -> HttpResponse:
        """ "Needs translation": per language, how many records the user may edit still lack
        it, linking each count to the list filtered "missing in <language>"
        (core/admin/translations.py). One query per model, whatever the data."""
        from core.admin.translations import next_to_translate, translation_queue_rows
        from core.languages import language_codes, language_name

        rows = translation_queue_rows(self, request)
        # The language to work on: the one asked for, else the one missing most.
        language = request.GET.get("language", "")
        if language not in language_codes():
            language = next((row.language for row in rows if row.count), "")
        context = {
            **self.each_context(request),
            "title": _("Needs translation"),
            "rows": rows,
            "language": language,
            "language_name": language_name(language) if language else "",
            "languages": [(code, language_name(code)) for code in language_codes()],
            "next": next_to_translate(self, request, language, rows) if language else [],
            "views_days": settings.PORTAL_PAGE_VIEWS_QUEUE_DAYS,
        }
        return TemplateResponse(request, "admin/translation_queue.html", context)

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        """The admin's "view on site" link, for a record the user may view in the admin.

        Django's shortcut redirects any staff account to any object's public address, which
        named the slug of another organisation's unpublished draft. Here the record is looked up
        through its ModelAdmin (``get_queryset``: the organisation scope of core/access.py) and
        the view permission; anything else is 404, as a missing record.
        """
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None:
            raise Http404
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)
