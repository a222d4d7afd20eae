"""The admin's autocomplete view, through Django's documented hook
(``AdminSite.autocomplete_view``, see ``core/admin/sites.py``).

A model with ``autocomplete_label()`` (regions: what and where, "Métropole de Lyon (Metropolitan
collectivity…), Auvergne-Rhône-Alpes, France · FR-69M") is listed by it, and its chosen value is
shown with the same label (``core/admin/widgets.py``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views import autocomplete


class AutocompleteJsonView(autocomplete.AutocompleteJsonView):
    """Django's autocomplete view, whose results are labelled by ``autocomplete_label()``."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "autocomplete_label"):
            result["text"] = obj.autocomplete_label()
        return result
