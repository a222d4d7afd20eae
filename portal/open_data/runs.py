"""The runs of the export in storage: write one (its manifest last), prune older ones, find
the newest complete one."""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from core.downloads import open_data_license
from portal.open_data.datapackage import csv_value, datapackage, write_csv
from portal.open_data.popolo import write_json
from portal.open_data.schema import tables

DIRECTORY = "open-data"
MANIFEST = "manifest.json"
JSON_FILE = "open-data.json"
DATAPACKAGE = "datapackage.json"
RUNS_KEPT = 3  # the newest complete runs kept in storage; older ones are deleted

logger = logging.getLogger(__name__)


def open_data_storage() -> Storage:
    """Where the export goes: the ``PORTAL_OPEN_DATA_STORAGE`` alias of ``STORAGES``
    (``default``: MEDIA_ROOT, or the S3 bucket)."""
    return storages[getattr(settings, "PORTAL_OPEN_DATA_STORAGE", "default")]


# The run -----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    directory: str  # in the storage
    generated: datetime.datetime
    files: dict[str, int]  # name → size in bytes
    rows: dict[str, int]  # table → row count


def export(
    *, base_url: str = "", storage: Storage | None = None, say: Callable[[str], None] = print
) -> ExportResult:
    """Write a new run into the storage, then its manifest (which makes it visible), then prune
    older runs. Files are first written to a local temporary directory."""
    storage = storage or open_data_storage()
    now = timezone.now()
    generated = now.replace(microsecond=0)
    # To the microsecond: two runs in one second get their own directories (fixed width: the
    # names sort as the times).
    run = f"{DIRECTORY}/{now.astimezone(datetime.UTC):%Y%m%dT%H%M%S%fZ}"
    table_list = tables(base_url.rstrip("/"))
    rows: dict[str, int] = {}
    files: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as temporary:
        local = Path(temporary)
        for table in table_list:
            rows[table.name] = write_csv(table, local / table.path)
            say(f"{table.path}: {rows[table.name]} rows")
        (local / DATAPACKAGE).write_text(
            json.dumps(datapackage(table_list, generated), indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
        say(f"{DATAPACKAGE}: {len(table_list)} resources")
        write_json(table_list, local / JSON_FILE, generated)
        say(f"{JSON_FILE}: written")
        for path in sorted(local.iterdir()):
            with path.open("rb") as content:
                saved = storage.save(f"{run}/{path.name}", File(content))
            if saved != f"{run}/{path.name}":  # the run's directory is new: never happens
                raise RuntimeError(f"{saved} was stored under another name")
            files[path.name] = path.stat().st_size
            say(f"stored {saved} ({files[path.name]} bytes)")
    manifest = {
        "generated": csv_value(generated),
        "license": open_data_license(),
        "files": files,
        "rows": rows,
    }
    storage.save(f"{run}/{MANIFEST}", ContentFile(json.dumps(manifest, indent=2).encode()))
    say(f"stored {run}/{MANIFEST}: the run is complete")
    for old in complete_runs(storage)[RUNS_KEPT:]:
        delete_run(storage, old)
        say(f"deleted the older run {old}")
    return ExportResult(directory=run, generated=generated, files=files, rows=rows)


def complete_runs(storage: Storage | None = None) -> list[str]:
    """The runs that have a manifest, newest first (timestamps sort as text)."""
    storage = storage or open_data_storage()
    return [run for run in all_runs(storage) if storage.exists(f"{run}/{MANIFEST}")]


def all_runs(storage: Storage | None = None) -> list[str]:
    """Every run directory in the storage, complete or not, newest first."""
    storage = storage or open_data_storage()
    try:
        directories, _files = storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return []
    return sorted((f"{DIRECTORY}/{name}" for name in directories), reverse=True)


def republish_after_erase(person_id: int, *, storage: Storage | None = None) -> None:
    """A person was erased (organizations.privacy): every stored run may hold their name and
    contact data, so a fresh run replaces them all at once — written from the erased rows, then
    every older run is deleted (the new one first, so the page is never without a file). If the
    new run fails, the older runs are deleted all the same: no file rather than a stale one.
    Nothing is written when nothing was published."""
    storage = storage or open_data_storage()
    old_runs = all_runs(storage)
    if not old_runs:
        return
    try:
        result = export(base_url=settings.PORTAL_PUBLIC_URL, storage=storage, say=lambda _: None)
        logger.info(
            "open data republished after erasing person %s: %s", person_id, result.directory
        )
    except Exception:
        logger.exception("open data: the run after erasing person %s failed", person_id)
    finally:
        for run in old_runs:
            with contextlib.suppress(FileNotFoundError):  # pruned by the new run already
                delete_run(storage, run)


def delete_run(storage: Storage, run: str) -> None:
    _directories, names = storage.listdir(run)
    storage.delete(f"{run}/{MANIFEST}")  # first: the run is no longer offered
    for name in names:
        if name != MANIFEST:
            storage.delete(f"{run}/{name}")
    if hasattr(storage, "path"):
        with contextlib.suppress(NotImplementedError, OSError):
            Path(storage.path(run)).rmdir()


@dataclass
class LatestRun:
    directory: str
    generated: datetime.datetime | None
    license: dict[str, str]
    files: dict[str, int]
    rows: dict[str, int]


def latest_run(storage: Storage | None = None) -> LatestRun | None:
    """The newest complete run, read from its manifest; None before the first export."""
    storage = storage or open_data_storage()
    for run in complete_runs(storage):
        try:
            with storage.open(f"{run}/{MANIFEST}") as content:
                manifest = json.loads(content.read())
        except FileNotFoundError:  # pruned meanwhile
            continue
        generated = manifest.get("generated")
        return LatestRun(
            directory=run,
            generated=datetime.datetime.fromisoformat(generated) if generated else None,
            license=manifest.get("license") or open_data_license(),
            files=manifest.get("files", {}),
            rows=manifest.get("rows", {}),
        )
    return None
