"""The CSV data package (Frictionless Data Package): one CSV per table and
``datapackage.json`` describing each file's fields, types, primary and foreign keys."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from core.downloads import open_data_license
from portal.open_data.schema import Table

# Values ------------------------------------------------------------------------------------


def csv_value(value: Any) -> str:
    """A value as Frictionless reads it with its default formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164
    return str(value)


# The data package --------------------------------------------------------------------------


def datapackage(table_list: list[Table], generated: datetime.datetime) -> dict[str, Any]:
    """The Frictionless ``datapackage.json``: every CSV, its fields and keys."""
    resources = []
    for table in table_list:
        schema: dict[str, Any] = {
            "fields": [
                {"name": f.name, "type": f.type}
                | ({"description": f.description} if f.description else {})
                for f in table.fields
            ],
            "primaryKey": table.primary_key,
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": key.fields,
                    # A key to the table itself: Frictionless writes the resource as "".
                    "reference": {
                        "resource": "" if key.resource == table.name else key.resource,
                        "fields": key.reference,
                    },
                }
                for key in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "title": table.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "cluster-partnership-portal",
        "title": "Cluster Partnership Portal: open data",
        "created": csv_value(generated),
        "licenses": [open_data_license()],
        "resources": resources,
    }


def write_csv(table: Table, path: Path) -> int:
    """The table as ``path`` (UTF-8, no byte order mark: the package is for programs, which the
    BOM confuses; the list downloads carry one for Excel). Returns the row count."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in table.fields])
        for record in table.records():
            writer.writerow([csv_value(value) for value in record.values()])
            count += 1
    return count
