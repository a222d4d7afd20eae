"""Widgets of the agreement admin: the document file input, and an autocomplete that leaves one
row out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from core.admin.widgets import AutocompleteSelect
from partnerships.uploads import ACCEPT_ATTRIBUTE


@dataclass(frozen=True)
class StoredFileLink:
    """What the admin's file input shows for a stored file: ``{{ value }}`` linked to ``.url``."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class DocumentFileWidget(AdminFileWidget):
    """The file input of a document: offers only the accepted types, and links the stored file to
    the admin's own download (``DocumentAdmin.file_view``) under its original name — nothing
    serves MEDIA_URL, so Django's link to ``file.url`` would lead nowhere."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": ACCEPT_ATTRIBUTE, **(attrs or {})})

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        document = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and document is not None and document.pk:
            url = reverse("admin:partnerships_document_file", args=[document.pk])
            context["widget"]["value"] = StoredFileLink(url, document.download_name)
        return context


class EvidenceFileWidget(DocumentFileWidget):
    """The evidence file of an activity: linked to ``ActivityAdmin.evidence_view``."""

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = AdminFileWidget.get_context(self, name, value, attrs)
        activity = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and activity is not None and activity.pk:
            url = reverse("admin:partnerships_activity_evidence", args=[activity.pk])
            context["widget"]["value"] = StoredFileLink(url, PurePath(value.name or "").name)
        return context


EVIDENCE_FILE_WIDGET: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.FileField: {"widget": EvidenceFileWidget}
}


DOCUMENT_FILE_WIDGET: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.FileField: {"widget": DocumentFileWidget}
}


class AutocompleteExcludingSelect(AutocompleteSelect):
    """An autocomplete that leaves one object out of its results: "builds on" never offers the
    agreement being edited. The object's id rides along in the autocomplete URL (``exclude``);
    ``AgreementAdmin.get_search_results`` drops it, and ``Agreement.clean`` refuses it anyway."""

    excluded_pk: int | None = None

    def get_url(self) -> str:
        url = super().get_url()
        if self.excluded_pk is None:
            return url
        return f"{url}?{urlencode({'exclude': self.excluded_pk})}"
