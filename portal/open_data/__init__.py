"""The whole-portal open-data export: ``manage.py export_open_data``.

One run writes, into the storage (Django's storage API: the file system or S3), a directory
``open-data/<UTC timestamp>/`` holding

* ``open-data.json``: everything in one JSON document with Popolo / schema.org terms — ``areas``
  (regions), ``organizations``, ``persons``, ``memberships`` (public contact points), ``events``
  (schema.org ``Event``) and ``agreements`` with their parties, focus areas, cooperation areas,
  signings (with signatures and attendance), statements, contacts and documents;
* a CSV data package (Frictionless Data Package): one CSV per table (:data:`TABLES`) and
  ``datapackage.json`` describing each file's fields, types, primary and foreign keys;
* ``manifest.json`` — written last: a run without it is incomplete and never offered. The public
  page (``/<lang>/open-data/``) offers the newest complete run; older runs are pruned. Erasing
  a person (organizations.privacy) replaces every stored run by a fresh one at once
  (``republish_after_erase``).

Only public rows, each by the model's one rule: published agreements
(``Agreement.objects.published()``) and what hangs from them (signings, statements, documents
marked public), public events, publishable contact points; people are exported by name only
when a public contact point or a published agreement names them (the agreement pages show
signatories, guests and speakers), and their contact data only through publishable contact
points. Every table is read with ``iterator()`` (server-side cursors): memory stays constant.
Translated fields are exported in every language (``name_en``, ``name_de``, ``name_ja``).

The package: ``schema`` (the tables), ``datapackage`` (the CSV files and ``datapackage.json``),
``popolo`` (``open-data.json``), ``runs`` (writing, pruning and finding runs in storage).
"""

from django.utils import timezone  # the clock of ``export`` (tests set it through here)

from portal.open_data.runs import (
    DATAPACKAGE,
    JSON_FILE,
    MANIFEST,
    RUNS_KEPT,
    ExportResult,
    LatestRun,
    complete_runs,
    export,
    latest_run,
    open_data_storage,
    republish_after_erase,
)
from portal.open_data.schema import tables

__all__ = [
    "DATAPACKAGE",
    "JSON_FILE",
    "MANIFEST",
    "RUNS_KEPT",
    "ExportResult",
    "LatestRun",
    "complete_runs",
    "export",
    "latest_run",
    "open_data_storage",
    "republish_after_erase",
    "tables",
    "timezone",
]
