"""Helpers for the spreadsheet import tests: a CSV text in, the import's result out."""

from __future__ import annotations

import csv
import io
from typing import Any

import tablib


def csv_text(rows: list[dict[str, Any]]) -> str:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def run_import(resource: Any, rows: list[dict[str, Any]], *, user: Any, dry_run: bool = False):
    """Import ``rows`` as the admin does: one transaction, rolled back on any failing row."""
    dataset = tablib.Dataset().load(csv_text(rows), format="csv")
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )


def row_errors(result) -> dict[int, dict[str, list[str]]]:
    """{row number: {field: [messages]}} of the invalid rows (``__all__`` for the row)."""
    found: dict[int, dict[str, list[str]]] = {}
    for row in result.invalid_rows:
        found[row.number] = {
            field: [str(message) for message in messages]
            for field, messages in row.error_dict.items()
        }
    for number, errors in result.row_errors():
        found.setdefault(number, {})["__error__"] = [str(error.error) for error in errors]
    return found
