"""Errors as JSON with a clear message: ``{"detail": …, "errors": {parameter: [messages]}}``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


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
    return response
