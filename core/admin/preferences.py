"""The admin of core's own model: each staff account's preferences (administrators only).

Registered from ``CoreConfig.ready()``, not on import of ``core.admin``: that package also holds
the site class, which ``admin.site`` imports the first time it is used (see its docstring).
"""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.admin.access import AdministratorsOnlyMixin
from core.admin.history import HistoryAdminMixin
from core.models import UserPreference
from core.timezones import remember_time_zone


@admin.register(UserPreference)
class UserPreferenceAdmin(AdministratorsOnlyMixin, HistoryAdminMixin, admin.ModelAdmin):
    """Each staff account's language for e-mails (renewal reminders): administrators only."""

    list_display = ("user", "language", "agreement_notices")
    list_select_related = ("user",)
    list_filter = ("language", "agreement_notices")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")


class MyEmailsForm(forms.ModelForm):
    class Meta:
        model = UserPreference
        fields = ("language", "agreement_notices", "time_zone")
        widgets = {"agreement_notices": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A fixed list (the IANA zones), whatever the data: about 600 options.
        self.fields["time_zone"].widget = forms.Select(
            choices=[("", _("The portal's own (%(zone)s)") % {"zone": settings.TIME_ZONE})]
            + [(zone, zone) for zone in sorted(available_timezones())]
        )


def my_emails_view(request: HttpRequest, admin_site: admin.AdminSite) -> HttpResponse:
    """ "My e-mails": every staff account sets its own language of e-mails and how it hears of
    its partners' steps (at once, in a daily digest, never). The account's own row only."""
    user = cast(Any, request.user)  # admin_view: a staff account
    preference = UserPreference.objects.filter(user=user).first() or UserPreference(user=user)
    form = MyEmailsForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        remember_time_zone(request=request, user=user)
        messages.success(request, _("Your e-mail preferences were saved."))
        return HttpResponseRedirect(request.path)
    context = {
        **admin_site.each_context(request),
        "title": _("My e-mails"),
        "form": form,
    }
    return TemplateResponse(request, "admin/my_emails.html", context)
