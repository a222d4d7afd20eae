"""Uploaded releases: .txt, .pdf and .docx are read; anything else is refused like every upload."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.exceptions import ValidationError

from partnerships.intake.sources import text_of_upload
from tests.uploads import EXE, HTML, PDF, ooxml, upload

SENTENCE = "The memorandum was signed on 8 February 2027 in Exampleton."


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream shows ``text`` (built by hand, offsets computed)."""
    stream = f"BT /F1 12 Tf 40 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_with_text(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_text_file_is_read():
    assert text_of_upload(upload("release.txt", SENTENCE.encode())) == SENTENCE


def test_a_text_file_with_a_byte_order_mark_is_read():
    assert text_of_upload(upload("release.txt", b"\xef\xbb\xbf" + SENTENCE.encode())) == SENTENCE


def test_a_pdf_is_read():
    assert SENTENCE in text_of_upload(upload("release.pdf", pdf_with_text(SENTENCE)))


def test_a_docx_is_read_paragraph_by_paragraph():
    text = text_of_upload(upload("release.docx", docx_with_text("Title", SENTENCE)))
    assert text == f"Title\n{SENTENCE}"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("release.txt", "Grüße".encode("latin-1"), "not_utf8"),
        ("release.txt", HTML, "markup"),
        ("release.txt", EXE, "not_text"),
        ("release.txt", b"   ", "no_text"),
        ("release.html", HTML, "unsupported_type"),
        ("release.pdf", EXE, "unsupported_file_type"),
        ("release.pdf", ooxml(), "extension_mismatch"),
        ("release.xlsx", ooxml("spreadsheetml.sheet.main+xml"), "unsupported_type"),
        ("release.docx", b"PK\x03\x04 not a package", "invalid_office_file"),
    ],
)
def test_other_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        text_of_upload(upload(name, content))
    assert error.value.error_list[0].code == code, error.value.messages


def test_a_pdf_signature_alone_is_no_readable_pdf():
    with pytest.raises(ValidationError):
        text_of_upload(upload("release.pdf", PDF[:20]))
