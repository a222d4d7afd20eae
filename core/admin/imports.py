"""Import and export buttons on an admin changelist (django-import-export), on the portal's rules.

- **Who**: importing needs the model's add permission, exporting its view permission; which rows
  a cluster manager may write is checked row by row by the resource (``organizations/imports.py``,
  ``partnerships/imports.py``) against ``core/access.py``. Export writes the rows of the
  changelist (its filters and search, and the user's scope: the same ``get_queryset``).
- **Dry run**: the uploaded file is first imported inside a transaction that is rolled back, and
  the preview (new, update, or every row's errors: row number, column, message) is shown; only
  "Confirm import" writes.
- **All or nothing**: the confirmed import runs in one transaction, rolled back on any error or
  invalid row; should a row fail at that point (the data changed since the preview), nothing is
  written and the import page says so.
- **Formats**: CSV (UTF-8) and XLSX; an XLSX file is checked for its unpacked size and number of
  parts before openpyxl reads it (core/archives.py), and the refusal is the form's error.

History: the writes happen inside the admin request, so the history triggers record the user
and the URL as for any admin change (``portal.middleware.HistoryMiddleware``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from core.archives import check_zip_bounds

if TYPE_CHECKING:
    from django.contrib import admin

    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object

NOTHING_IMPORTED = _(
    "Nothing was imported: %(count)s row(s) failed when the import was confirmed (the data "
    "changed since the preview?). Upload the file again to see why."
)


class BoundedXLSX(XLSX):
    """XLSX, refused before it is unpacked when it would unpack too large (a zip bomb)."""

    def create_dataset(self, in_stream: Any) -> Any:
        check_zip_bounds(in_stream)
        return super().create_dataset(in_stream)


class SpreadsheetImportMixin(ImportExportMixin, _ModelAdmin):
    """Import and export in CSV and XLSX, with the portal's permissions (module docstring)."""

    import_formats = [CSV, BoundedXLSX]
    export_formats = [CSV, XLSX]
    import_error_display = ("message",)  # the message, never a traceback

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ValidationError):  # our own refusal (BoundedXLSX): say why
            form.add_error("import_file", e)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True  # one invalid row: nothing is written
        return kwargs

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            failed = len(result.row_errors()) + len(result.invalid_rows)
            messages.error(request, NOTHING_IMPORTED % {"count": failed})
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)
