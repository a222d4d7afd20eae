"""The guided agreement page in the admin (``partnerships/guide.py``): on the change page, the
"Dates and status" section closes when complete, its heading saying what it holds ("signed
2 Nov 2015 · 5 years · notice 6 months"), and the "Text" section while it is empty; the
publication panel lists what is still missing for review; and the first error takes the focus
(``first_error.js``).

``GuidedAgreementMixin`` is added to ``AgreementAdmin``; Django opens a closed section again
whenever one of its fields has an error (``Fieldset.is_collapsible``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from partnerships import guide
from partnerships.models import Agreement

DATES_SECTION_FIELDS = {"signed_on", "term"}
TEXT_SECTION_FIELD = "authentic_languages"  # untranslated: modeltranslation expands "terms"


class GuidedAgreementMixin:
    def get_fieldsets(self, request: HttpRequest, obj: Agreement | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None or obj.pk is None:
            return fieldsets
        summary = guide.dates_summary(obj)
        result = []
        for name, options in fieldsets:
            flat = {
                field
                for line in options.get("fields", ())
                for field in (line if isinstance(line, (list, tuple)) else (line,))
            }
            classes = tuple(options.get("classes", ()))
            if name and summary is not None and flat >= DATES_SECTION_FIELDS:
                options = {**options, "classes": (*classes, "collapse", "section-complete")}
                name = _("%(section)s: %(summary)s") % {"section": name, "summary": summary}
            elif (
                name
                and TEXT_SECTION_FIELD in flat
                and "collapse" not in classes
                and not guide.has_text(obj)
            ):
                options = {**options, "classes": (*classes, "collapse")}  # nothing in it yet
            result.append((name, options))
        return result

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        if (
            obj is not None
            and obj.pk
            and obj.publication
            in (
                Agreement.Publication.DRAFT,
                Agreement.Publication.WITHDRAWN,
            )
        ):
            context["missing_for_review"] = guide.missing_for_review(obj)
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
