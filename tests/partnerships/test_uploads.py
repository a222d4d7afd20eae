"""Uploaded documents: what is refused, where accepted files go, and how they are sent.

Refusals go through the agreement page's document inline, where editors upload, and must leave a
message on the file field and nothing written: no row and no file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.access import ADMINISTRATORS_GROUP
from partnerships.models import Document
from partnerships.uploads import FILE_CONTENT_SECURITY_POLICY, validate_document_file
from tests import uploads
from tests.partnerships.test_admin import ADD_URL, agreement_post_data, nothing_was_written


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def post_agreement_with_document(client, cast, name: str, content: bytes):
    data = agreement_post_data(parties=cast["parties"])
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-kind": Document.Kind.AGREEMENT_TEXT,
            "documents-0-title_en": "Signed agreement",
            "documents-0-title_de": "",
            "documents-0-title_ja": "",
            "documents-0-language": "en",
            "documents-0-url": "",
            "documents-0-text": "",
            "documents-0-published_on": "",
            "documents-0-is_public": "on",
            "documents-0-file": uploads.upload(name, content),
        }
    )
    return client.post(ADD_URL, data)


def file_errors(response) -> list[str]:
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "documents"
    ]
    return formset.forms[0].errors.get("file", [])


@pytest.fixture
def cast(organization_factory):
    return {"parties": [organization_factory(), organization_factory()]}


# --- Refusals ----------------------------------------------------------------------------------

MARKUP = (
    "SVG, HTML and other markup files are not accepted, whatever their name: they can carry "
    "scripts. Upload the document as PDF instead."
)
NOT_ACCEPTED = (
    "This kind of file is not accepted. Upload a PDF, an office document (DOCX, XLSX, PPTX, "
    "ODT, ODS, ODP) or an image (PNG, JPEG, WebP)."
)


def invalid_office(extension: str) -> str:
    return (
        f"The file is called “.{extension}” but is not a valid DOCX, XLSX, PPTX, ODT, ODS or "
        "ODP document (the older DOC, XLS and PPT formats are not accepted). Save it again in "
        "one of these formats or as PDF."
    )


REFUSALS = {
    "svg-with-onload-renamed-pdf": ("agreement.pdf", uploads.SVG_WITH_ONLOAD, MARKUP),
    "svg": ("drawing.svg", uploads.SVG_WITH_ONLOAD, MARKUP),
    "html-renamed-pdf": ("agreement.pdf", uploads.HTML, MARKUP),
    "exe": ("setup.exe", uploads.EXE, NOT_ACCEPTED),
    "exe-renamed-pdf": ("agreement.pdf", uploads.EXE, NOT_ACCEPTED),
    "plain-zip": ("files.zip", uploads.plain_zip(), NOT_ACCEPTED),
    "fake-docx-not-a-zip": (
        "agreement.docx",
        b"This is not a Word file at all.",
        invalid_office("docx"),
    ),
    "zip-renamed-docx": ("agreement.docx", uploads.plain_zip(), invalid_office("docx")),
    "macro-enabled-word-renamed-docx": (
        "agreement.docx",
        uploads.ooxml("ms-word.document.macroEnabled.main+xml"),
        invalid_office("docx"),
    ),
    "png-named-pdf": (
        "agreement.pdf",
        uploads.png(),
        "The file is called “.pdf” but its content is PNG: rename it to “.png” or upload the "
        "intended file.",
    ),
    "pdf-named-docx": (
        "agreement.docx",
        uploads.PDF,
        "The file is called “.docx” but its content is PDF: rename it to “.pdf” or upload the "
        "intended file.",
    ),
    "empty": ("agreement.pdf", b"", "The submitted file is empty."),
}


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_upload_is_refused_with_a_message_on_the_field_and_nothing_is_saved(
    admin_client, cast, media_root, name, content, message
):
    response = post_agreement_with_document(admin_client, cast, name, content)

    assert response.status_code == 200
    assert file_errors(response) == [message]
    assert nothing_was_written()
    assert stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(admin_client, cast, media_root, settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    too_big = uploads.PDF + b"%" + b"x" * (1024 * 1024)

    response = post_agreement_with_document(admin_client, cast, "agreement.pdf", too_big)

    assert file_errors(response) == ["The file is 1.0 MB; a document may be at most 1 MB."]
    assert nothing_was_written()
    assert stored_files(media_root) == []


def test_a_small_docx_that_unpacks_to_256_mb_is_refused(admin_client, cast, media_root):
    bomb = uploads.ooxml_bomb(unpacked_mb=256)
    assert len(bomb) < 2 * 1024 * 1024

    response = post_agreement_with_document(admin_client, cast, "agreement.docx", bomb)

    assert file_errors(response) == [
        "The file unpacks to 256 MB; an office file may unpack to at most 200 MB. Save it again "
        "as PDF, or split it."
    ]
    assert nothing_was_written()
    assert stored_files(media_root) == []


def test_a_docx_with_more_parts_than_the_bound_is_refused(admin_client, cast, media_root, settings):
    settings.PORTAL_OFFICE_MAX_ENTRIES = 50
    docx = uploads.ooxml_with_parts(60)  # and the two parts of every DOCX

    response = post_agreement_with_document(admin_client, cast, "agreement.docx", docx)

    assert file_errors(response) == [
        "The file holds 62 packed parts; an office file may hold at most 50. Save it again as "
        "PDF, or split it."
    ]
    assert nothing_was_written()


def test_a_docx_within_both_bounds_is_accepted(admin_client, cast, media_root, settings):
    settings.PORTAL_OFFICE_MAX_ENTRIES = 62
    settings.PORTAL_OFFICE_MAX_UNPACKED_MB = 1
    docx = uploads.ooxml_with_parts(60)

    response = post_agreement_with_document(admin_client, cast, "agreement.docx", docx)

    assert response.status_code == 302
    assert Document.objects.get().original_name == "agreement.docx"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "SVG-, HTML- und andere Markup-Dateien werden unabhängig von ihrem Namen"),
        ("ja", "SVG、HTML などのマークアップファイルは、ファイル名にかかわらず受け付けません"),
    ],
)
def test_the_refusal_is_translated(admin_client, cast, language, message):
    admin_client.cookies["django_language"] = language
    response = post_agreement_with_document(
        admin_client, cast, "agreement.pdf", uploads.SVG_WITH_ONLOAD
    )
    assert message in response.content.decode()


def test_the_validator_is_on_the_model_field_so_every_write_path_shares_it(document_factory, db):
    document = document_factory.build(url="", file=uploads.upload("x.pdf", uploads.HTML))
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert refused.value.message_dict["file"] == [MARKUP]


def test_a_stored_file_is_not_checked_again_when_the_document_is_edited(document_factory, db):
    document = document_factory(url="", file=uploads.upload("a.pdf", uploads.PDF))
    document.refresh_from_db()
    validate_document_file(document.file)  # no read of the stored file, no error


# --- Acceptance --------------------------------------------------------------------------------

ACCEPTED = {
    "pdf": ("Vertrag 2015.pdf", uploads.PDF, "pdf"),
    "png": ("Signing.PNG", uploads.png(), "png"),
    "jpeg": ("photo.jpg", uploads.JPEG, "jpg"),
    "docx": ("協定書.docx", uploads.ooxml(), "docx"),
    "xlsx": (
        "figures.xlsx",
        uploads.ooxml("spreadsheetml.sheet.main+xml"),
        "xlsx",
    ),
    "odt": ("text.odt", uploads.odf(), "odt"),
}


@pytest.mark.parametrize(("name", "content", "extension"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_good_upload_is_stored_under_a_random_name_and_keeps_its_own(
    admin_client, cast, media_root, name, content, extension
):
    response = post_agreement_with_document(admin_client, cast, name, content)

    assert response.status_code == 302, file_errors(response)
    document = Document.objects.get()
    assert document.original_name == name
    assert re.fullmatch(rf"documents/\d{{4}}/[0-9a-f-]{{36}}\.{extension}", document.file.name)
    assert (media_root / document.file.name).read_bytes() == content
    static_root = Path(__file__).resolve().parents[2] / "static"
    assert static_root not in (media_root / document.file.name).parents


# --- Download ----------------------------------------------------------------------------------


@pytest.fixture
def stored_document(document_factory):
    def make(name: str = "agreement.pdf", content: bytes = uploads.PDF, **fields) -> Document:
        document = document_factory.build(url="", file=uploads.upload(name, content), **fields)
        document.agreement.save()
        document.agreement_id = document.agreement.pk
        document.full_clean()
        document.save()
        return document

    return make


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_public_pdf_is_downloaded_with_a_policy_that_runs_nothing(client, stored_document):
    document = stored_document("Vertrag.pdf")

    response = client.get(document.get_file_url())

    assert response.status_code == 200
    assert body(response) == uploads.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Vertrag.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CONTENT_SECURITY_POLICY
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Length"] == str(len(uploads.PDF))


def test_an_image_is_shown_inline(client, stored_document):
    response = client.get(stored_document("photo.png", uploads.png()).get_file_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_an_office_document_is_a_download_under_its_japanese_name(client, stored_document):
    document = stored_document("協定書.docx", uploads.ooxml())

    response = client.get(document.get_file_url())

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%8D%94%E5%AE%9A%E6%9B%B8.docx"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == body_of(document)


def body_of(document: Document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def test_a_file_stored_before_the_checks_with_an_unknown_type_is_a_plain_download(
    client, stored_document, media_root
):
    """Files uploaded before this change keep their names: an old .svg is never rendered."""
    document = stored_document()
    old_name = "agreements/2015/drawing.svg"
    (media_root / old_name).parent.mkdir(parents=True)
    (media_root / old_name).write_bytes(uploads.SVG_WITH_ONLOAD)
    Document.objects.filter(pk=document.pk).update(file=old_name, original_name="")

    response = client.get(document.get_file_url())

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="drawing.svg"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_head_answers_like_get_without_a_body(client, stored_document):
    url = stored_document().get_file_url()
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert body(head) == b""
    for header in ("Content-Type", "Content-Disposition", "Content-Security-Policy"):
        assert head[header] == get[header]


def test_other_methods_are_not_allowed(client, stored_document):
    assert client.post(stored_document().get_file_url()).status_code == 405


def test_a_document_not_marked_public_answers_404(client, stored_document):
    assert client.get(stored_document(is_public=False).get_file_url()).status_code == 404


def test_a_document_of_an_unpublished_agreement_answers_404(client, stored_document):
    document = stored_document(agreement__publication="draft")
    assert client.get(document.get_file_url()).status_code == 404


def test_a_document_without_a_file_answers_404(client, document_factory):
    assert client.get(document_factory().get_file_url()).status_code == 404


def test_a_document_whose_file_is_missing_answers_404(client, stored_document, media_root):
    document = stored_document()
    (media_root / document.file.name).unlink()
    assert client.get(document.get_file_url()).status_code == 404


def test_the_download_does_not_depend_on_debug(client, stored_document, settings):
    settings.DEBUG = False
    assert client.get(stored_document().get_file_url()).status_code == 200


def test_nothing_serves_the_media_url(client, stored_document, settings):
    document = stored_document()
    settings.DEBUG = True
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404


def test_the_agreement_page_links_the_download_view(client, stored_document):
    document = stored_document(title="Signed agreement text")
    page = client.get(document.agreement.get_absolute_url()).content.decode()
    assert f'href="{document.get_file_url()}"' in page
    assert "/media/" not in page


# --- Admin download ----------------------------------------------------------------------------


def admin_file_url(document: Document) -> str:
    return reverse("admin:partnerships_document_file", args=[document.pk])


def test_an_administrator_with_the_view_permission_downloads_a_document_that_is_not_public(
    client, stored_document, django_user_model
):
    # Staff who are neither administrators nor managers of a party see public records only
    # (core/access.py): the matrix in tests/test_permissions_matrix.py covers them.
    document = stored_document(is_public=False, agreement__publication="draft")
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)  # noqa: S106 - test user
    viewer.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    viewer.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(viewer)

    response = client.get(admin_file_url(document))

    assert response.status_code == 200
    assert body(response) == uploads.PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CONTENT_SECURITY_POLICY
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_staff_without_the_view_permission_are_refused(client, stored_document, django_user_model):
    document = stored_document(is_public=False)
    client.force_login(
        django_user_model.objects.create_user("clerk", password="x", is_staff=True)  # noqa: S106 - test user
    )
    assert client.get(admin_file_url(document)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client, stored_document):
    response = client.get(admin_file_url(stored_document(is_public=False)))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_admin_links_the_stored_file_to_the_admin_download_under_its_own_name(
    admin_client, stored_document
):
    document = stored_document("Vertrag 2015.pdf")
    page = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[document.agreement.pk])
    ).content.decode()
    assert f'<a href="{admin_file_url(document)}">Vertrag 2015.pdf</a>' in page
    assert "/media/" not in page
    assert 'accept=".pdf,' in page


# --- Production --------------------------------------------------------------------------------

PRODUCTION_URLS = """
import json, django
from django.conf import settings
from django.urls import Resolver404, resolve
django.setup()
try:
    resolve("/media/documents/2015/a.pdf")
    media = "served"
except Resolver404:
    media = "not served"
print(json.dumps({
    "debug": settings.DEBUG,
    "download": resolve("/en/documents/7/").view_name,
    "media": media,
    "limit": settings.PORTAL_MAX_UPLOAD_MB,
}))
"""


def test_production_routes_the_download_and_serves_nothing_from_media(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "s" * 50,
        "DATABASE_URL": "postgres://alice@db.example/portal",
        "PORTAL_VAR_DIR": str(tmp_path),
        "PORTAL_MAX_UPLOAD_MB": "50",
    }
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-c", PRODUCTION_URLS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == {
        "debug": False,
        "download": "partnerships:document_file",
        "media": "not served",
        "limit": 50,
    }
