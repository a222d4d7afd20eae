"""The admin of core's own model: each staff account's preferences (administrators only).

Registered from ``CoreConfig.ready()``, not on import of ``core.admin``: that package also holds
the site class, which ``admin.site`` imports the first time it is used (see its docstring).
"""

from __future__ import annotations

from django.contrib import admin

from core.admin.access import AdministratorsOnlyMixin
from core.admin.history import HistoryAdminMixin
from core.models import UserPreference


@admin.register(UserPreference)
class UserPreferenceAdmin(AdministratorsOnlyMixin, HistoryAdminMixin, admin.ModelAdmin):
    """Each staff account's language for e-mails (renewal reminders): administrators only."""

    list_display = ("user", "language", "agreement_notices")
    list_select_related = ("user",)
    list_filter = ("language", "agreement_notices")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
