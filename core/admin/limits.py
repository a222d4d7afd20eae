"""Bounds on what one admin POST can make the server build: rows per inline formset.

A formset builds as many forms as its management form's ``TOTAL_FORMS`` says, up to its
``absolute_max`` (Django's default: ``max_num`` + 1,000, i.e. 2,000 forms): four forged posts
with ``parties-TOTAL_FORMS=2000`` — each party form nesting its own formsets — held every
gunicorn worker until it was killed. Every inline of the portal mixes :class:`BoundedInlineMixin`
in (``ScopedInlineMixin`` brings it; ``tests/core/test_admin_limits.py`` checks every inline of
every registered admin), so that:

- ``max_num``: at most ``settings.PORTAL_ADMIN_MAX_INLINE_ROWS`` rows per formset (an inline may
  set a smaller ``max_num``); the admin's "Add another" link stops there;
- ``validate_max``: a POST with more rows than that is a form error ("Please submit at most …"),
  shown on the page with everything the user typed, nothing saved;
- ``absolute_max`` = the cap: no more forms than that are ever built, whatever the POST says
  (an inline whose own ``max_num`` is smaller, 0 when the user may not add rows, is validated
  against the cap alone: Django's ``max_num`` limits new rows, not the rows already there);
- and no more than the POST holds rows for (:class:`BoundedFormSetMixin`): a browser sends at
  least the hidden ``id`` of every row, so a ``TOTAL_FORMS`` beyond the last row posted names
  forms that would be empty. Forms built are then bounded by the fields of the request, for the
  whole page, nested formsets included (an inflated count of signing events cannot multiply
  into thousands of empty signature forms).

The number of fields of one request is bounded by ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (settings):
beyond it Django answers 400 before any form is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib import admin

    _Inline = admin.options.InlineModelAdmin
else:
    _Inline = object


def posted_rows(data, prefix: str) -> int:
    """1 + the highest row number ``n`` with a field ``<prefix>-<n>-…`` in ``data`` (0: none)."""
    start = f"{prefix}-"
    rows = 0
    for key in data:
        if not key.startswith(start):
            continue
        number, dash, _ = key[len(start) :].partition("-")
        if dash and number.isdigit() and len(number) < 6:
            rows = max(rows, int(number) + 1)
    return rows


class BoundedFormSetMixin:
    """A bound formset builds no form beyond the last row the POST holds fields for, and its
    existing rows are its own rows named by well-formed ids.

    django-nested-admin looks the posted rows up by their raw ids among *all* rows of the model
    (``pk__in`` of the posted strings): a forged ``parties-0-id=abc`` was a 500 (42 of the 47
    the admin fuzz found), and an id of another agreement's row named a row outside the page.
    Here an id that is no key is ignored (the row is then refused as a missing one, a form
    error), and only the formset's own rows (this parent's, within the user's scope) are found.
    """

    def get_queryset(self):
        if not self.is_bound:  # type: ignore[attr-defined]
            return super().get_queryset()  # type: ignore[misc]
        if not hasattr(self, "_posted_rows"):
            pk = self.model._meta.pk  # type: ignore[attr-defined]
            ids = []
            for number in range(self.initial_form_count()):  # type: ignore[attr-defined]
                raw = self.data.get(f"{self.add_prefix(number)}-{pk.name}")  # type: ignore[attr-defined]
                if not raw:
                    continue
                try:
                    ids.append(pk.to_python(raw))
                except ValidationError:
                    continue
            own: QuerySet = BaseModelFormSet.get_queryset(self)  # type: ignore[arg-type]
            self._posted_rows = own.filter(pk__in=ids)
        return self._posted_rows

    def total_form_count(self) -> int:
        total = super().total_form_count()  # type: ignore[misc]  # mixed into a formset
        if not self.is_bound:  # type: ignore[attr-defined]
            return total
        return min(total, posted_rows(self.data, self.prefix))  # type: ignore[attr-defined]


class BoundedInlineMixin(_Inline):
    """An inline whose formset holds at most ``PORTAL_ADMIN_MAX_INLINE_ROWS`` rows (module doc)."""

    def get_max_num(self, request: HttpRequest, obj=None, **kwargs: Any) -> int:
        own = super().get_max_num(request, obj, **kwargs)
        cap = settings.PORTAL_ADMIN_MAX_INLINE_ROWS
        return cap if own is None else min(own, cap)

    def get_formset(self, request: HttpRequest, obj=None, **kwargs: Any):
        cap = settings.PORTAL_ADMIN_MAX_INLINE_ROWS
        kwargs.setdefault("max_num", self.get_max_num(request, obj, **kwargs))
        # A smaller max_num of the inline's own limits the rows that may be added, not the rows
        # already there: Django sets it to 0 when the user may not add rows (the partner's rows,
        # read-only), and validating against it would refuse every save of such a page. The cap
        # counts every row: a POST beyond it is refused by ``absolute_max``.
        kwargs.setdefault("validate_max", kwargs["max_num"] == cap)
        kwargs.setdefault("absolute_max", cap)
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (BoundedFormSetMixin, formset), {})
