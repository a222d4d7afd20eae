"""The embed snippet on an organisation's admin page: the ``<iframe>`` its managers copy to show
the organisation's partners on their own website (the widget: ``partnerships/widgets.py``).

A mixin, so that the organisation admin only names it: it adds a read-only field in a section
of its own. The URL is reversed by name (the widget is served by ``partnerships``, which this
app does not import) and made absolute with ``PORTAL_BASE_URL``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

EMBED_FIELD = "embed_snippet"


def partners_widget_snippet(organization: Any, language: str = "en") -> str:
    """The ``<iframe>`` element of ``organization``'s partners widget, in ``language``."""
    with override(language):
        path = reverse("partnerships:widget_partners", kwargs={"slug": organization.slug})
    title = _("Partners of %(name)s") % {"name": organization.name}
    return (
        f'<iframe src="{settings.PORTAL_BASE_URL}{path}" title="{title}" width="100%" '
        'height="420" loading="lazy" style="border:0"></iframe>'
    )


class EmbedSnippetAdminMixin:
    """Adds "On your website": the snippet to copy, in each of the portal's languages."""

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*fields, EMBED_FIELD) if obj is not None else fields

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None:
            return fieldsets
        section = (
            _("On your website"),
            {
                "fields": (EMBED_FIELD,),
                "description": _(
                    "Copy this snippet into a page of your website to show your organisation's "
                    "partners there, kept up to date by the portal. It loads no script, sets no "
                    "cookie and tracks nobody."
                ),
            },
        )
        return [*fieldsets, section]

    @admin.display(description=_("partners widget"))
    def embed_snippet(self, obj: Any) -> str:
        """One snippet per language: the widget speaks the language of its URL."""
        return format_html_join(
            "",
            '<p><label>{}<br><textarea readonly rows="3" cols="80" class="vLargeTextField">{}'
            "</textarea></label></p>",
            ((name, partners_widget_snippet(obj, code)) for code, name in settings.LANGUAGES),
        )
