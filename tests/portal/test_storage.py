"""Uploaded files go through Django's storage API: a local folder, or S3 with one variable."""

from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage

from portal.settings.base import default_storage_config
from tests import factories, uploads


def test_without_a_bucket_uploads_go_to_the_local_folder(monkeypatch):
    monkeypatch.delenv("PORTAL_S3_BUCKET", raising=False)

    assert default_storage_config() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_selects_s3_storage_without_touching_the_network(monkeypatch):
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("PORTAL_S3_BUCKET", "portal-documents")
    monkeypatch.setenv("PORTAL_S3_ENDPOINT_URL", "https://s3.example.net")
    monkeypatch.setenv("PORTAL_S3_PREFIX", "/uploads/")
    config = default_storage_config()

    storage = S3Storage(**config["OPTIONS"])  # nothing is sent before a file is read or written

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage.bucket_name == "portal-documents"
    assert storage.endpoint_url == "https://s3.example.net"
    assert storage.location == "uploads"
    assert storage.default_acl is None


@pytest.mark.django_db
def test_document_downloads_stream_from_the_storage_not_from_a_path(client, settings):
    # An in-memory storage has no file system path: the view must read through the API, as it
    # would from S3.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    document = factories.DocumentFactory(
        url="", file=uploads.upload("agreement.pdf", uploads.PDF), title="Signed text"
    )
    assert isinstance(document.file.storage._wrapped, InMemoryStorage)
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()  # not on disk

    response = client.get(_file_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == uploads.PDF


def _file_url(document) -> str:
    from django.urls import reverse

    return reverse("partnerships:document_file", kwargs={"pk": document.pk})
