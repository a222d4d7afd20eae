"""The admin's autocomplete view, through Django's documented hook
(``AdminSite.autocomplete_view``, see ``core/admin/sites.py``).

A model with ``autocomplete_label()`` (regions: what and where, "Métropole de Lyon (Metropolitan
collectivity…), Auvergne-Rhône-Alpes, France · FR-69M") is listed by it, and its chosen value is
shown with the same label (``core/admin/widgets.py``).

A page of results reads one row more than it shows instead of counting every match: "more"
is all the widget needs, and a count of a broad term ("clu") over 100,000 organisations cost as
much as the search itself (issue 24).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views import autocomplete
from django.http import Http404


class _Page:
    """What the view reads of a page: its rows and whether there are more."""

    def __init__(self, rows: list[Any], more: bool) -> None:
        self.object_list = rows
        self.more = more

    def has_next(self) -> bool:
        return self.more


class AutocompleteJsonView(autocomplete.AutocompleteJsonView):
    """Django's autocomplete view, whose results are labelled by ``autocomplete_label()`` and
    paged without a count (module docstring)."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "autocomplete_label"):
            result["text"] = obj.autocomplete_label()
        return result

    def paginate_queryset(self, queryset, page_size):
        number = self.request.GET.get(self.page_kwarg) or "1"
        if not number.isdigit() or int(number) < 1:
            raise Http404
        start = (int(number) - 1) * page_size
        rows = list(queryset[start : start + page_size + 1])
        page = _Page(rows[:page_size], more=len(rows) > page_size)
        return None, page, page.object_list, page.more
