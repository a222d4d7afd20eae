"""The admin's history pages, for every tracked model (core/history.py):

- ``<id>/history/``: every version (who, when, which fields changed), two of them to compare,
  and "restore this version";
- ``<id>/history/compare/?from=<event>&to=<event>``: field by field, every language, old → new;
- ``<id>/history/<event>/restore/`` (POST): restore that version;
- ``deleted/`` and ``deleted/<event>/restore/`` (POST): deleted records and their restore.

Seeing history needs the model's view (or change) permission; restoring needs change. The
history of a record follows the record: a cluster manager sees the versions of the records they
may see, restores those they may edit (core/access.py), and gets 404 for any other id.
Deleted records belong to no organisation any more: their list and restore are for portal
administrators only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, history
from core.deletion import deletion_refusals

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


class HistoryAdminMixin(_ModelAdmin):
    """Replaces Django's history page (the admin log, without values) with the recorded
    versions, and adds compare, restore and the list of deleted records."""

    change_list_template = "admin/history/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:event_id>/restore/",
                wrap(require_POST(self.history_restore_view)),
                name="{}_{}_history_restore".format(*info),
            ),
            path("deleted/", wrap(self.deleted_view), name="{}_{}_deleted".format(*info)),
            path(
                "deleted/<int:event_id>/restore/",
                wrap(require_POST(self.deleted_restore_view)),
                name="{}_{}_deleted_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_see_deleted": access.is_administrator(request.user),
        }
        return super().changelist_view(request, extra_context)

    def _context(self, request: HttpRequest, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "app_label": self.opts.app_label,
            **extra,
        }

    def _object_or_last_version(self, request: HttpRequest, object_id: str):
        """The object, or (deleted) its last recorded state; 404 if neither."""
        obj = self.get_object(request, object_id)
        if obj is None:
            if not access.is_administrator(request.user):
                raise Http404  # hidden, or deleted: a deleted record's history is not scoped
            versions = history.versions(self.model, object_id)
            if not versions:
                raise Http404
            return None, versions
        return obj, history.versions(self.model, obj.pk)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj, versions = self._object_or_last_version(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        label = str(obj) if obj is not None else f"#{object_id}"
        newest_first = list(reversed(versions))
        if obj is not None:
            # "Restore" only where it would change something: not on a version that holds what
            # the object holds now (the current one, a publication step after it).
            for version in newest_first:
                if history.same_state(self.model, version.event, newest_first[0].event):
                    version.restorable = False
        # The object's own versions and those of its related rows (parties, focus areas …),
        # merged newest first; only the object's own can be compared and restored.
        related = self._visible_related(
            request, obj, history.related_versions(self.model, versions[-1].event.pgh_obj_id)
        )
        timeline = sorted(
            [*versions, *related], key=lambda v: (v.created_at, v.event.pgh_id), reverse=True
        )
        context = self._context(
            request,
            _("History: %s") % label,
            object=obj,
            object_id=object_id,
            versions=newest_first,
            timeline=timeline,
            default_to=newest_first[0].event.pk,
            default_from=newest_first[1].event.pk if len(newest_first) > 1 else None,
            has_related=bool(related),
            can_restore=self.may_restore(request, obj),
            **(extra_context or {}),
        )
        return TemplateResponse(request, "admin/history/versions.html", context)

    def _visible_related(self, request: HttpRequest, obj, related: list) -> list:
        """The related rows' versions ``request.user`` may see: each row as its own scope says
        (core/access.py: a hidden contact point of a published agreement is not everyone's),
        a row deleted since only to those who may edit the parent (who may restore it), and
        everything to administrators. One query per kind of scoped row."""
        user = request.user
        if access.is_administrator(user):
            return related
        may_edit_parent = obj is not None and self.has_change_permission(request, obj)
        ids_by_model: dict = {}
        for version in related:
            ids_by_model.setdefault(version.model, set()).add(version.event.pgh_obj_id)
        shown: dict = {}
        for model, ids in ids_by_model.items():
            if access.scope_of(model) is None:  # reference data, link rows: no scope of its own
                shown[model] = None
                continue
            existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
            visible = set(
                access.visible(user, model._default_manager.filter(pk__in=ids)).values_list(
                    "pk", flat=True
                )
            )
            shown[model] = visible | ((ids - existing) if may_edit_parent else set())
        return [
            version
            for version in related
            if shown[version.model] is None or version.event.pgh_obj_id in shown[version.model]
        ]

    def history_snapshot(self, obj) -> object:
        """What ``history_restored`` compares after a restore (nothing by default)."""
        return None

    def history_restored(self, request: HttpRequest, before: object, obj) -> None:
        """After a restore: tell the user what the save services did (the agreement page: its
        key terms changed, so it is back in review)."""

    def history_compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj, versions = self._object_or_last_version(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        by_id = {str(v.event.pk): v for v in versions}
        newer = by_id.get(request.GET.get("to", "")) or versions[-1]
        older = by_id.get(request.GET.get("from", ""))
        if older is None:
            index = versions.index(newer)
            older = versions[index - 1] if index else newer
        if older.event.pgh_created_at > newer.event.pgh_created_at:
            older, newer = newer, older
        rows = history.diff(self.model, older.event, newer.event)
        context = self._context(
            request,
            _("Compare versions: %s") % (obj if obj is not None else f"#{object_id}"),
            object=obj,
            object_id=object_id,
            older=older,
            newer=newer,
            rows=rows,
            only_changes=request.GET.get("all") != "1",
            can_restore=self.may_restore(request, obj),
        )
        return TemplateResponse(request, "admin/history/compare.html", context)

    def may_restore(self, request: HttpRequest, obj) -> bool:
        """A restore is an edit of every field, facts included: whoever may change the record,
        except a translator, who changes its texts only (core/access.py)."""
        return self.has_change_permission(request, obj) and access.may_change_facts(request.user)

    def _restore(self, request: HttpRequest, event_id: int, obj) -> HttpResponse:
        if not self.may_restore(request, obj):
            raise PermissionDenied
        if obj is None and not access.is_administrator(request.user):
            raise Http404  # a deleted (or hidden) record: administrators only
        event = get_object_or_404(history.event_model_for(self.model), pgh_id=event_id)
        if obj is not None and event.pgh_obj_id != obj.pk:
            raise Http404
        before = self.history_snapshot(obj)
        try:
            restored = history.history_restore(event=event, user=request.user)
        except ValidationError as error:
            for message in history.restore_error_messages(error):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.META.get("HTTP_REFERER") or "../")
        self.log_change(request, restored, [{"changed": {"fields": ["restored"]}}])
        self.message_user(
            request,
            _("“%(object)s” was restored to the version of %(date)s.")
            % {"object": restored, "date": event.pgh_created_at.strftime("%Y-%m-%d %H:%M:%S")},
            messages.SUCCESS,
        )
        self.history_restored(request, before, restored)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(
            reverse(
                "admin:{}_{}_change".format(*info),
                args=[restored.pk],
                current_app=self.admin_site.name,
            )
        )

    def history_restore_view(self, request: HttpRequest, object_id: str, event_id: int):
        obj = self.get_object(request, object_id)
        return self._restore(request, event_id, obj)

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        if not (
            self.has_view_or_change_permission(request) and access.is_administrator(request.user)
        ):
            raise PermissionDenied
        context = self._context(
            request,
            _("Deleted %s") % self.opts.verbose_name_plural,
            deleted=[
                (event, label_of_event(event)) for event in history.deleted_objects(self.model)
            ],
            can_restore=self.has_change_permission(request),
            tracked_model=self.model,
        )
        return TemplateResponse(request, "admin/history/deleted.html", context)

    def deleted_restore_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        return self._restore(request, event_id, None)


class ArchiveInsteadOfDeleteMixin(_ModelAdmin):
    """The deletion confirmation lists why an organisation or person may not be deleted
    (core/deletion.py) as Django lists protected objects, and deletes nothing."""

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [reason for obj in objs for reason in deletion_refusals(obj)]
        return deleted, model_count, perms_needed, [*protected, *refusals]


def label_of_event(event) -> str:
    model = event.pgh_tracked_model
    instance = model(
        **{f.attname: getattr(event, f.attname) for f in history.recorded_fields(model)}
    )
    try:
        return str(instance)
    except Exception:  # a label for a list: a related row may be gone
        return f"#{event.pgh_obj_id}"
