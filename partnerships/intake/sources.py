"""The text of an uploaded release: .txt, .pdf or .docx, checked like every other upload.

PDF and DOCX go through ``partnerships.uploads.validate_document_file`` (size, type by content,
a real OOXML package, the extension of the detected type) and must then be one of these two;
their text is read with pypdf and python-docx (both in the lock files). Plain text has no magic
bytes: it must be within the same size limit, be UTF-8, hold no NUL byte and no markup (a file
starting with a tag is refused like an SVG or HTML upload).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partnerships import uploads

# Text beyond this is not a press release: refuse it rather than run the rules over a book.
MAX_TEXT_CHARS = 100_000


def _checked_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("The file holds no text."), code="no_text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            _("The text is longer than %(limit)s characters: is it really a press release?"),
            code="text_too_long",
            params={"limit": MAX_TEXT_CHARS},
        )
    return text


def _plain_text(file: Any) -> str:
    if file.size > uploads.max_upload_bytes():
        raise ValidationError(_("The file is too large."), code="file_too_large")
    file.seek(0)
    raw = file.read()
    if b"\x00" in raw:
        raise ValidationError(_("This is not a text file."), code="not_text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The text file is not UTF-8: save it as UTF-8 and upload it again."),
            code="not_utf8",
        ) from None
    if text.lstrip().startswith("<"):
        raise ValidationError(
            _("Markup (HTML, SVG, XML) is not accepted: paste the text instead."), code="markup"
        )
    return text


def _pdf_text(file: Any) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    file.seek(0)
    try:
        reader = PdfReader(file)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError):
        raise ValidationError(_("The PDF could not be read."), code="unreadable_pdf") from None


def _docx_text(file: Any) -> str:
    import docx

    file.seek(0)
    try:
        document = docx.Document(file)
    except (ValueError, KeyError, OSError):
        raise ValidationError(_("The DOCX could not be read."), code="unreadable_docx") from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def text_of_upload(file: Any) -> str:
    """The text of an uploaded .txt, .pdf or .docx; raises ValidationError for anything else."""
    extension = uploads.extension_of(file.name or "")
    if extension == "txt":
        return _checked_text(_plain_text(file))
    if extension not in ("pdf", "docx"):
        raise ValidationError(
            _("Upload the release as .txt, .pdf or .docx, or paste its text."),
            code="unsupported_type",
        )
    uploads.validate_document_file(file)
    detected = uploads.detect_type(file)
    if detected is uploads.PDF:
        return _checked_text(_pdf_text(file))
    if detected is uploads.DOCX:
        return _checked_text(_docx_text(file))
    raise ValidationError(
        _("Upload the release as .txt, .pdf or .docx, or paste its text."),
        code="unsupported_type",
    )
