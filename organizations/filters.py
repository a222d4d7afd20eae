"""The organisation list's filters, declared once (django-filter): the list page and its
CSV/JSON downloads read ``kind`` and ``focus`` through it (a value that does not validate is
dropped), and the API (``portal/api/filters.py``) adds its own parameters and answers a bad value
with a 400. The page's text and region go to the organisation search, which ranks and suggests
(``organizations.search.search_organizations``).
"""

from __future__ import annotations

import django_filters  # type: ignore[import-untyped]  # no stubs

from organizations.models import FocusArea, Organization


class OrganizationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    focus = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = Organization
        fields: list[str] = []
