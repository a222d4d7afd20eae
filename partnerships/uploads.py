"""Uploaded agreement documents: which files are accepted, where they are stored, how they are sent.

One validator, on the model field (``Document.file``), so the admin, and later an API or an
import, refuse the same files with the same messages:

- at most ``settings.PORTAL_MAX_UPLOAD_MB`` megabytes;
- PDF, the office formats DOCX/XLSX/PPTX and ODT/ODS/ODP, and the images PNG, JPEG and WebP —
  recognised by their CONTENT (magic bytes, read with puremagic), never by their name;
- office files may unpack to at most ``settings.PORTAL_OFFICE_MAX_UNPACKED_MB`` megabytes in at
  most ``settings.PORTAL_OFFICE_MAX_ENTRIES`` parts (core/archives.py: no zip bombs);
- office files must be real ZIP packages: OOXML with a ``[Content_Types].xml`` that declares the
  main part of a document, workbook or presentation (the macro-enabled variants declare another
  one and are refused); OpenDocument with its ``mimetype`` entry;
- SVG, HTML and any other markup are refused with their own message, whatever the file is called:
  a browser runs the scripts they carry;
- the name's extension must be the one of the detected type (no PNG called ``.pdf``).

Not accepted, on purpose: the legacy binary Office formats (DOC/XLS/PPT). They are OLE compound
files, the container of MSI installers and Outlook messages too, which magic bytes alone cannot
tell apart, and the classic carriers of macros; ask for PDF or the XML formats instead. Plain text
needs no upload: a document's "full text" field holds it.

Files are stored under random names (``documents/<year>/<uuid4>.<ext>``, see
``document_upload_to``); the name the file had is kept in ``Document.original_name``. They are
sent only through the views in partnerships/views.py and the document admin, with the headers of
``file_response_headers``.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.archives import check_zip_bounds

# How much of the start of a file is read to recognise it (puremagic needs far less).
HEAD_BYTES = 8192
MEGABYTE = 1024 * 1024
# The most of an office package's manifest ([Content_Types].xml, mimetype) that is unpacked.
MANIFEST_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str  # shown in messages: "PDF", "DOCX" …
    mime_type: str  # sent as Content-Type
    extensions: tuple[str, ...]  # accepted name endings, the first is used for the stored name
    inline: bool = False  # may be shown in the browser (images); else a download


# PDFs are downloaded, not shown: a browser's PDF viewer is a program of its own that the file's
# sandboxing policy cannot be relied on to contain (and Chromium's viewer refuses sandboxed pages).
PDF = FileType("PDF", "application/pdf", ("pdf",))
PNG = FileType("PNG", "image/png", ("png",), inline=True)
JPEG = FileType("JPEG", "image/jpeg", ("jpg", "jpeg"), inline=True)
WEBP = FileType("WebP", "image/webp", ("webp",), inline=True)
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = FileType("DOCX", _OOXML + "wordprocessingml.document", ("docx",))
XLSX = FileType("XLSX", _OOXML + "spreadsheetml.sheet", ("xlsx",))
PPTX = FileType("PPTX", _OOXML + "presentationml.presentation", ("pptx",))
_ODF = "application/vnd.oasis.opendocument."
ODT = FileType("ODT", _ODF + "text", ("odt",))
ODS = FileType("ODS", _ODF + "spreadsheet", ("ods",))
ODP = FileType("ODP", _ODF + "presentation", ("odp",))

ACCEPTED_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG, WEBP)
# Recognised from their first bytes alone (puremagic's MIME type → our type).
_BY_SIGNATURE = {file_type.mime_type: file_type for file_type in (PDF, PNG, JPEG, WEBP)}
# OOXML: the main part's content type, as declared in [Content_Types].xml.
_OOXML_MAIN_PARTS = {
    (DOCX.mime_type + ".main+xml").encode(): DOCX,
    (XLSX.mime_type + ".main+xml").encode(): XLSX,
    (PPTX.mime_type + ".main+xml").encode(): PPTX,
}
_ODF_MIMETYPES = {file_type.mime_type.encode(): file_type for file_type in (ODT, ODS, ODP)}
_ZIP_SIGNATURE = b"PK\x03\x04"
_OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls", "ppt"}
_MARKUP_MIME_TYPES = {"image/svg+xml", "text/html", "application/xhtml+xml", "application/xml"}

BY_EXTENSION = {ext: file_type for file_type in ACCEPTED_TYPES for ext in file_type.extensions}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in BY_EXTENSION)  # <input type="file" accept=…>


def max_upload_bytes() -> int:
    return int(settings.PORTAL_MAX_UPLOAD_MB) * MEGABYTE


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().removeprefix(".")


def _is_markup(head: bytes, matches: list[Any]) -> bool:
    """SVG, HTML, XML: text that starts with a tag, whatever puremagic makes of it."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return True
    return any(match.mime_type in _MARKUP_MIME_TYPES for match in matches)


def _office_type(file: IO[bytes]) -> FileType | None:
    """The office type of a ZIP package, or None when it is no (readable) OOXML or ODF package."""
    try:
        with zipfile.ZipFile(file) as package:
            names = {info.filename: info for info in package.infolist()}

            def read(name: str) -> bytes:
                # A small manifest, never a decompression bomb.
                if names[name].file_size > MANIFEST_MAX_BYTES:
                    return b""
                return package.read(name)

            if "[Content_Types].xml" in names:
                content_types = read("[Content_Types].xml")
                for main_part, file_type in _OOXML_MAIN_PARTS.items():
                    if b'ContentType="' + main_part + b'"' in content_types:
                        return file_type
                return None
            if "mimetype" in names:
                return _ODF_MIMETYPES.get(read("mimetype").strip())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        return None
    return None


def detect_type(file: IO[bytes]) -> FileType | None:
    """The accepted type the file's content is, or None. Raises ValidationError for markup."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty_file")
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    if _is_markup(head, matches):
        raise ValidationError(
            _(
                "SVG, HTML and other markup files are not accepted, whatever their name: they "
                "can carry scripts. Upload the document as PDF instead."
            ),
            code="markup_file",
        )
    if head.startswith(_ZIP_SIGNATURE):
        check_zip_bounds(file)  # a zip bomb is refused before any part is unpacked
        found = _office_type(file)
        file.seek(0)
        return found
    # Only the most confident matches count: a weak signature found by chance must not win.
    best = [match for match in matches if match.confidence == matches[0].confidence]
    for match in best:
        if match.mime_type in _BY_SIGNATURE:
            return _BY_SIGNATURE[match.mime_type]
    return None


def validate_document_file(file: Any) -> None:
    """The one check of an uploaded document (see the module docstring); raises ValidationError.

    Files already stored are not checked again: the validator runs on every ``full_clean``,
    also when only a document's title changes.
    """
    # A FieldFile is "committed" once its file is in the storage (Django's own flag).
    if not file or (isinstance(file, FieldFile) and getattr(file, "_committed", False)):
        return
    limit = max_upload_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; a document may be at most %(limit)s MB."),
            code="file_too_large",
            params={"size": f"{file.size / MEGABYTE:.1f}", "limit": settings.PORTAL_MAX_UPLOAD_MB},
        )
    extension = extension_of(file.name)
    found = detect_type(file)
    if found is None:
        if extension in _OFFICE_EXTENSIONS:
            raise ValidationError(
                _(
                    "The file is called “.%(extension)s” but is not a valid DOCX, XLSX, PPTX, "
                    "ODT, ODS or ODP document (the older DOC, XLS and PPT formats are not "
                    "accepted). Save it again in one of these formats or as PDF."
                ),
                code="invalid_office_file",
                params={"extension": extension},
            )
        raise ValidationError(
            _(
                "This kind of file is not accepted. Upload a PDF, an office document (DOCX, "
                "XLSX, PPTX, ODT, ODS, ODP) or an image (PNG, JPEG, WebP)."
            ),
            code="unsupported_file_type",
        )
    if extension not in found.extensions:
        raise ValidationError(
            _(
                "The file is called “.%(extension)s” but its content is %(type)s: rename it to "
                "“.%(expected)s” or upload the intended file."
            ),
            code="extension_mismatch",
            params={
                "extension": extension or "",
                "type": found.label,
                "expected": found.extensions[0],
            },
        )


def document_upload_to(instance: Any, filename: str) -> str:
    """``documents/<year>/<uuid4>.<ext>``: a name nobody can guess, that says nothing.

    The extension is the validated one (lower case); the original name is kept in the model.
    """
    extension = extension_of(filename)
    suffix = f".{extension}" if extension in BY_EXTENSION else ""
    return f"documents/{timezone.now():%Y}/{uuid.uuid4()}{suffix}"


def file_type_of(name: str) -> FileType | None:
    """The type of a stored file, from its (validated) extension; None for an unknown one."""
    return BY_EXTENSION.get(extension_of(name))


# The policy of every sent file: nothing it contains may run, load or submit anything, even when
# a browser renders it (images inline), and it gets an origin of its own (sandbox).
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; sandbox"


def document_file_response(document: Any) -> FileResponse:
    """The stored file of ``document``, streamed from the storage API (any storage backend).

    Sent as a download under its original name; shown inline only when it is an image. Whoever
    calls this has decided that the person may see the document.
    """
    file_type = file_type_of(document.file.name)
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing.") from None
    response = FileResponse(
        stream,
        as_attachment=not (file_type and file_type.inline),
        filename=document.download_name,
        content_type=file_type.mime_type if file_type else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    return response


class _Evidence:
    """An activity's evidence file, in the shape :func:`document_file_response` sends."""

    def __init__(self, activity: Any) -> None:
        self.file = activity.evidence_file
        self.download_name = PurePath(activity.evidence_file.name or "").name


def evidence_file_response(activity: Any) -> FileResponse:
    """The evidence file of an activity (issue 21), sent like a document's."""
    return document_file_response(_Evidence(activity))
