"""Staff accounts and groups in the admin: no one but a superuser can raise anyone's rights.

Django's own ``UserAdmin`` lets a staff account holding ``auth.change_user`` tick
``is_superuser`` on itself, put itself in "Portal administrators", give itself any permission, or
reset a superuser's password; ``GroupAdmin`` with ``auth.change_group`` lets it add any
permission to its own group. The portal's roles (portal/roles.py) never hand out those
permissions, and this admin refuses even when someone does:

- for anyone but a superuser, ``is_superuser``, ``is_staff``, ``groups`` and ``user_permissions``
  are read-only (a forged POST of them changes nothing), and a superuser's account is neither
  shown nor changed (its password included);
- groups (and so the permissions of a role) are added, changed and deleted by superusers only.

Authenticator secrets are never shown after enrolment: ``OTP_ADMIN_HIDE_SENSITIVE_DATA``
(settings) hides the key, the configuration page and the QR code of every saved TOTP device.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest

RIGHTS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class PortalUserAdmin(UserAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + tuple(field for field in RIGHTS_FIELDS if field not in readonly)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(is_superuser=False)  # a superuser's account is a 404 for the others

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class PortalGroupAdmin(GroupAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)
