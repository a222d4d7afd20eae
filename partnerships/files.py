"""A document's uploaded file lives as long as the document uses it.

Deleting a document — directly, or with its agreement (a cascade, which never calls
``Document.delete()``) — deletes its file; replacing the file deletes the old one. Both only once
the transaction has committed: a rolled-back deletion keeps its file. Receivers, not a
``delete()`` override, because cascades and ``queryset.delete()`` send only the signals.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, pre_save

from partnerships.models import Activity, Document


def _delete_after_commit(file: FieldFile) -> None:
    if not file or not file.name:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


def _delete_file_of_deleted_document(sender: type, instance: Document, **kwargs) -> None:
    _delete_after_commit(instance.file)


def _delete_replaced_file(sender: type, instance: Document, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding or not instance.pk:
        return
    old_name = Document._base_manager.filter(pk=instance.pk).values_list("file", flat=True).first()
    if old_name and old_name != instance.file.name:
        _delete_after_commit(FieldFile(instance, Document._meta.get_field("file"), old_name))


def _delete_evidence_of_deleted_activity(sender: type, instance: Activity, **kwargs) -> None:
    _delete_after_commit(instance.evidence_file)


def _delete_replaced_evidence(
    sender: type, instance: Activity, raw: bool = False, **kwargs
) -> None:
    if raw or instance._state.adding or not instance.pk:
        return
    old_name = (
        Activity._base_manager.filter(pk=instance.pk)
        .values_list("evidence_file", flat=True)
        .first()
    )
    if old_name and old_name != instance.evidence_file.name:
        field = Activity._meta.get_field("evidence_file")
        _delete_after_commit(FieldFile(instance, field, old_name))


def connect() -> None:
    post_delete.connect(
        _delete_file_of_deleted_document, sender=Document, dispatch_uid="document_file_delete"
    )
    pre_save.connect(_delete_replaced_file, sender=Document, dispatch_uid="document_file_replace")
    # An activity's evidence file, the same way (issue 21).
    post_delete.connect(
        _delete_evidence_of_deleted_activity,
        sender=Activity,
        dispatch_uid="activity_evidence_delete",
    )
    pre_save.connect(
        _delete_replaced_evidence, sender=Activity, dispatch_uid="activity_evidence_replace"
    )
