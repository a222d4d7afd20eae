"""Errors as JSON with a clear message: ``{"detail": …, "errors": {parameter: [messages]}}``.

A filter that names a row that does not exist (an unknown or ambiguous region, country,
organisation or focus area) is a well-formed request for something absent: 404, with the same
body (the message says what was not found, and an ambiguous region's candidates). A malformed
value (empty, too long, a NUL character, not one of the choices) is a 400. The schema documents
both (portal/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

# The parameters that name a row, and the codes of "no such row" (ResolvingFilterForm's and the
# lookup fields' ``not_found``, Django's ``invalid_choice`` of a model choice, DRF's
# ``does_not_exist``).
LOOKUP_PARAMETERS = frozenset({"region", "country", "organization", "focus", "parent", "within"})
NOT_FOUND_CODES = frozenset(
    {"not_found", "invalid_choice", "does_not_exist", "null_characters_not_allowed"}
)


def _codes(codes: Any) -> set[str]:
    if codes is None:  # an error without a code is no "not found"
        return {"invalid"}
    if isinstance(codes, str):
        return {codes}
    if isinstance(codes, dict):
        return {code for value in codes.values() for code in _codes(value)}
    return {code for value in codes for code in _codes(value)}


def names_absent_rows(exc: ValidationError) -> bool:
    """Whether every error of ``exc`` is a lookup parameter naming no row."""
    codes = exc.get_codes()
    if not isinstance(codes, dict) or not codes:
        return False
    return all(
        name in LOOKUP_PARAMETERS and _codes(value) <= NOT_FOUND_CODES
        for name, value in codes.items()
    )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(sorted(errors))
        response.data = {
            "detail": _("Invalid query parameter: %(names)s.") % {"names": names},
            "errors": errors,
        }
        if names_absent_rows(exc):
            response.status_code = status.HTTP_404_NOT_FOUND
    return response
