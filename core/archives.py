"""Office files are ZIP packages (DOCX, XLSX, PPTX, ODT, ODS, ODP): a small upload can unpack to
gigabytes (a "zip bomb") or hold millions of entries. :func:`check_zip_bounds` refuses a package
that declares more than ``PORTAL_OFFICE_MAX_ENTRIES`` entries or more than
``PORTAL_OFFICE_MAX_UNPACKED_MB`` megabytes unpacked, before anything is unpacked.

The declared sizes (the package's central directory) are the ones that count: Python's zipfile
never unpacks an entry beyond its declared size (it stops there and fails the CRC check), so a
package that under-declares cannot expand further in the portal either. Used by the document
upload (partnerships/uploads.py) and the spreadsheet import (core/admin/imports.py).
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MEGABYTE = 1024 * 1024


def check_zip_bounds(file: IO[bytes] | bytes) -> None:
    """Raise ValidationError when the ZIP package ``file`` is too large unpacked or has too many
    entries. Anything that is no readable ZIP package passes: the caller's own check says why."""
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return
    finally:
        stream.seek(position)
    max_entries = int(settings.PORTAL_OFFICE_MAX_ENTRIES)
    if len(entries) > max_entries:
        raise ValidationError(
            _(
                "The file holds %(count)s packed parts; an office file may hold at most "
                "%(limit)s. Save it again as PDF, or split it."
            ),
            code="too_many_entries",
            params={"count": len(entries), "limit": max_entries},
        )
    unpacked = sum(entry.file_size for entry in entries)
    max_mb = int(settings.PORTAL_OFFICE_MAX_UNPACKED_MB)
    if unpacked > max_mb * MEGABYTE:
        raise ValidationError(
            _(
                "The file unpacks to %(size)s MB; an office file may unpack to at most "
                "%(limit)s MB. Save it again as PDF, or split it."
            ),
            code="unpacks_too_large",
            params={"size": f"{unpacked / MEGABYTE:.0f}", "limit": max_mb},
        )
