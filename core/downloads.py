"""CSV and JSON downloads of the public lists: the mechanism (the lists' columns are in each app's
views: organisations in organizations, agreements in partnerships).

A download holds every row the list page would page through, with the page's filters — the view
builds the queryset with the list's own filter code — streamed as it is read:

* **Streamed, constant memory and queries**: the rows come from one query read through a
  server-side cursor (``QuerySet.iterator(chunk_size=…)``); related values (focus areas, parties)
  are array subqueries of that one query, never prefetches or per-row queries.
* **Stable machine column names** (``name``, ``kind``, ``signed_on``): a script keeps working
  whatever the language. The *values* of translated fields (names, titles, labels) are in the
  language of the URL (``/de/organizations.csv`` → German names), codes (``kind``) are stable.
* **CSV**: UTF-8 with a byte order mark, so that Excel opens Japanese and German text correctly
  (without it Excel assumes the local ANSI code page); lists in a cell are joined with ``"; "``.
* **JSON**: ``{"language", "generated_at", "source", "license", "count"?, "results": [...]}``,
  lists as arrays.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation

FORMATS = ("csv", "json")
CHUNK_SIZE = 500  # rows per fetch from the server-side cursor
BOM = "\ufeff"
LIST_SEPARATOR = "; "
DEFAULT_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def open_data_license() -> dict[str, str]:
    """The licence of every download and export (``PORTAL_OPEN_DATA_LICENSE``), as a
    Frictionless licence object: ``name`` (SPDX id), ``title`` and ``path`` (its URL)."""
    return dict(getattr(settings, "PORTAL_OPEN_DATA_LICENSE", DEFAULT_LICENSE))


@dataclass(frozen=True)
class Column:
    """One column of a download: its stable key and how to read it from a row."""

    key: str
    value: Callable[[Any], Any]


def record_columns(keys: Iterable[str]) -> list[Column]:
    """Columns that read a record (a dict) by their keys."""
    return [Column(key, itemgetter(key)) for key in keys]


def download_links(request: HttpRequest, url_name: str) -> list[tuple[str, str]]:
    """(format, URL) of a list's downloads (``<url_name>_csv``, ``<url_name>_json``), with the
    list's query string (less ``page``): what the list pages link to as "Download: CSV · JSON"."""
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return [(fmt.upper(), reverse(f"{url_name}_{fmt}") + suffix) for fmt in FORMATS]


def translated(field: str, language: str) -> Coalesce | F:
    """``field`` in ``language``, else in English (SQL), for values read through subqueries."""
    if language == "en":
        return F(f"{field}_en")
    return Coalesce(
        NullIf(F(f"{field}_{language}"), Value("")),
        F(f"{field}_en"),
        output_field=CharField(),
    )


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(csv_cell(item) for item in value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


class _Line:
    """A file-like object for ``csv.writer`` that hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Any], columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([column.key for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(column.value(row)) for column in columns])


def json_chunks(rows: Iterable[Any], columns: list[Column], meta: dict[str, Any]) -> Iterator[str]:
    head = json.dumps(meta, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield head[:-1] + ', "results": ['
    separator = ""
    for row in rows:
        record = {column.key: json_value(column.value(row)) for column in columns}
        yield separator + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


def batched(pieces: Iterator[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """The pieces encoded in UTF-8 and sent in chunks of about ``size`` bytes, not line by line."""
    buffer: list[bytes] = []
    length = 0
    for piece in pieces:
        data = piece.encode()
        buffer.append(data)
        length += len(data)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def download_response(
    request: HttpRequest,
    queryset: QuerySet,
    columns: list[Column],
    *,
    fmt: str,
    name: str,
    present: Callable[[Any], Any] | None = None,
) -> StreamingHttpResponse:
    """The rows of ``queryset`` (filtered and ordered by the caller) as a streamed CSV or JSON
    attachment called ``<name>-<language>-<date>.<fmt>``, in the request's language. With
    ``present``, each row is handed to the columns as ``present(row)`` (a record derived from
    the resource's presenter dict) instead of the row itself."""
    language = (translation.get_language() or "en")[:2]
    now = timezone.now().replace(microsecond=0)
    # The date the portal's users live in (TIME_ZONE), not UTC's: after 23:00 UTC it is
    # already tomorrow in Berlin.
    filename = f"{name}-{language}-{timezone.localdate(now).isoformat()}.{fmt}"

    def rows() -> Iterator[Any]:
        # The body is produced after the view has returned: keep the request's language.
        with translation.override(language):
            if present is None:
                yield from queryset.iterator(chunk_size=CHUNK_SIZE)
            else:
                yield from map(present, queryset.iterator(chunk_size=CHUNK_SIZE))

    if fmt == "csv":
        body: Iterator[str] = csv_lines(rows(), columns)
        content_type = "text/csv; charset=utf-8"
    else:
        source = request.build_absolute_uri(request.get_full_path())
        meta = {
            "language": language,
            "generated_at": now.isoformat(),
            "source": source,
            "license": open_data_license(),
        }
        body = json_chunks(rows(), columns, meta)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(batched(body), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
