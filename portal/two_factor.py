"""The admin's second factor: TOTP (authenticator apps) with django-otp.

- A staff member who enrolled an app enters its current code at the admin login, after the
  password; without the code, or with a wrong one, there is no admin.
- Enrolment is a page of the admin (``<admin>/two-factor/``): the secret as text, as an
  ``otpauth://`` link and as a QR code drawn on the server (SVG, no third-party request); the
  device counts once a code from it was entered.
- ``PORTAL_REQUIRE_ADMIN_2FA`` (production: on): an administrator (a superuser or a member of
  "Portal administrators") without an app is sent to the enrolment page and cannot use any
  other admin page until a code was entered there.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import access
from core.admin.sites import PortalAdminSite

DEVICE_NAME = "Authenticator app"


def has_second_factor(user) -> bool:
    """Whether the user enrolled an app (memoised on the user object: one query per request)."""
    if not hasattr(user, "_portal_has_second_factor"):
        user._portal_has_second_factor = any(devices_for_user(user, confirmed=True))
    return user._portal_has_second_factor


def second_factor_required(user) -> bool:
    """Required (``PORTAL_REQUIRE_ADMIN_2FA``) of every administrator: superusers and members of
    "Portal administrators", who can see and change everything; offered to every other staff
    member (cluster managers) on the same enrolment page."""
    return bool(settings.PORTAL_REQUIRE_ADMIN_2FA and access.is_administrator(user))


def must_enrol(user) -> bool:
    """An active staff member who may not use the admin before enrolling an app."""
    return (
        user.is_active
        and user.is_staff
        and second_factor_required(user)
        and not has_second_factor(user)
    )


class AdminLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login: password, then the app's code for those who enrolled one."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        help_text=_("The six digits your authenticator app shows, if you set one up."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 10}
        ),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Please enter the code from your authenticator app."),
        "invalid_token": _("This code is not valid. Enter the code your app shows now."),
    }

    def clean(self):
        super().clean()  # the password (django-axes checks the lockout first), staff status
        user = self.get_user()
        devices = list(devices_for_user(user, confirmed=True))
        if devices:
            # One app per person: the code is checked against it, no device to choose.
            self.cleaned_data["otp_device"] = devices[0].persistent_id
            self.clean_otp(user)
        return self.cleaned_data


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_code_svg(data: str) -> str:
    """The QR code of ``data`` as an inline ``<svg>`` element, drawn here (no external service)."""
    return segno.make(data, error="m").svg_inline(scale=4, light="#fff", title=str(_("QR code")))


class TwoFactorAdminSite(PortalAdminSite):
    """``admin.site``: the kernel's admin site (``core/admin/sites.py``) with the project's wiring:
    the second factor (see the module docstring) and the managers' dashboard on the start page."""

    login_form = AdminLoginForm
    login_template = "admin/portal_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        if user.is_verified():  # type: ignore[union-attr]  # added by django_otp OTPMiddleware
            return True
        return not (has_second_factor(user) or second_factor_required(user))

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context=None):
        if request.method == "GET" and must_enrol(request.user):
            return redirect(reverse("admin:two_factor", current_app=self.name))
        return super().login(request, extra_context)

    def index(self, request: HttpRequest, extra_context=None):
        """The admin's start page, with a cluster manager's dashboard above the models; a
        translator's shows instead how many records still lack each language."""
        from core.access import translates_only
        from core.admin.translations import translation_totals
        from partnerships.dashboard import manager_dashboard

        if translates_only(request.user):
            extra_context = {
                **(extra_context or {}),
                "translation_totals": translation_totals(self, request),
            }
        else:
            extra_context = {
                **(extra_context or {}),
                "dashboard": manager_dashboard(request.user, site_name=self.name),
            }
        return super().index(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        return csrf_protect(self._two_factor)(request)

    def _two_factor(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # Staff only; someone who has an app but has not entered its code may not add another.
        if not (user.is_active and user.is_staff) or (
            has_second_factor(user) and not user.is_verified()  # type: ignore[attr-defined]  # OTPMiddleware
        ):
            return redirect_to_login(
                request.get_full_path(),
                reverse("admin:login", current_app=self.name),
                REDIRECT_FIELD_NAME,
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        form = EnrolForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"].strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(request, _("Your authenticator app is set up."))
                return redirect(reverse("admin:index", current_app=self.name))
            form.add_error("token", _("This code is not valid. Enter the code your app shows now."))
        uri = device.config_url
        context = {
            **self.each_context(request),
            "title": _("Two-factor authentication"),
            "form": form,
            "secret": _base32(device.bin_key),
            "otpauth_uri": uri,
            "qr_code": mark_safe(qr_code_svg(uri)),  # noqa: S308 - SVG drawn by segno from our own URI
            "enrolled": has_second_factor(user),
            "required": must_enrol(user),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_factor.html", context)


def _base32(key: bytes) -> str:
    """The secret as authenticator apps ask for it when typed: base32, in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
