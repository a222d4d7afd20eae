"""Staff password reset by e-mail ("Forgotten your password?" on the admin login, routed in
``portal/urls.py``): Django's ``PasswordResetForm``, for active staff accounts only, each mail in
the account's own language (``core.models.language_of``) rather than the requester's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetCompleteView
from django.urls import reverse
from django.utils import translation

from core.models import language_of


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[Any]:
        return (user for user in super().get_users(email) if user.is_staff)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override(language_of(context["user"])):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class StaffPasswordResetCompleteView(PasswordResetCompleteView):
    """ "Your password has been set", with its "Log in" link to the admin's login page."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["login_url"] = reverse("admin:login")
        return context
