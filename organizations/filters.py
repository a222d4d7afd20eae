"""The organisation list's filters, declared once (django-filter): the list page and its
CSV/JSON downloads read ``kind`` and ``focus`` through it (a value that does not validate is
dropped), and the API (``portal/api/filters.py``) adds its own parameters and answers a bad value
with a 400. The page's text and region go to the organisation search
(``organizations.search.search_organizations``), not into this set, on purpose: the page shows a
*search*, not a filtered list. It ranks by relevance in tiers (a name that is the query, then a
name with every word, then descriptions and regions) and stops counting and ranking broad terms
at ``RESULT_CAP``; for region text it keeps the suggestions of an ambiguous name; and when a
query finds nothing it offers the results of the corrected spelling ("did you mean"). None of
that is a filter: a FilterSet narrows a queryset, and the API lists every match in id order.
Which organisations match is decided once all the same: the page's search and the API's
FilterSet (``portal/api/filters.py``) both match text with ``organization_text_filter`` and a
region with ``resolve_region`` and the region's subtree. tests/portal/test_api_filters.py asks
the page and the API the same text and region queries and compares the organisations found (the
API with ``archived=false``: the page lists active organisations only); the one difference, the
page's spelling correction, is tested as such.
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
