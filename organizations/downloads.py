"""The organisations' part of the list downloads (the mechanism is ``core/downloads.py``)."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from core.downloads import translated
from organizations.models import FocusArea


def focus_area_names(language: str, relation: str) -> ArraySubquery:
    """The names of the row's focus areas in ``language``, in name order, as an array:
    ``relation`` is the focus area's reverse relation to the row (``organizations``)."""
    return ArraySubquery(
        FocusArea.objects.filter(**{relation: OuterRef("pk")})
        .order_by("name_en", "pk")
        .values_list(translated("name", language))
    )
