"""Invite a manager: an administrator, or a manager of the organisation, names a colleague
(name, e-mail, language, role) on the organisation's admin page; the colleague gets a staff
account in the "Cluster managers" group — or, invited as a translator, in the "Translators"
group, who change the texts only (core/access.py) — linked to the organisation, and an e-mail in
their language with a one-time link to choose a password.

The link is Django's password-reset token (``default_token_generator``): it is bound to the
account's password hash and last login, so it works once (choosing the password changes the
hash) and expires after ``PASSWORD_RESET_TIMEOUT``. The page behind it is Django's
``PasswordResetConfirmView`` under the admin (``portal/urls.py``, ``admin_invitation_accept``).
The mail is sent once the account is committed; a mail server that is down does not undo the
invitation (the inviter is told, and the account can be reached by "Forgotten your password?").
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from core.access import MANAGERS_GROUP, TRANSLATORS_GROUP, translates_only
from core.mail import automatic_email
from core.models import UserPreference
from organizations.models import ClusterManager, Organization

logger = logging.getLogger("organizations.invitations")


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("The invitation and the portal's later e-mails are written in this language."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("manager", _("Manager: the organisation's records and its agreements")),
            ("translator", _("Translator: their texts only, in every language")),
        ],
        initial="manager",
        required=False,  # a manager, unless said otherwise
    )


ROLE_GROUPS = {"manager": MANAGERS_GROUP, "translator": TRANSLATORS_GROUP}


def _split_name(name: str) -> tuple[str, str]:
    """ "Hanako Tanaka" → ("Hanako", "Tanaka"); a single word is the given name."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def accept_url(user: Any) -> str:
    """The one-time address where ``user`` chooses a password (absolute, for an e-mail)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL + reverse(
        "admin_invitation_accept", kwargs={"uidb64": uid, "token": token}
    )


def invitation_email(*, user: Any, organization: Organization, invited_by: Any) -> Any:
    language = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    language = language or settings.LANGUAGE_CODE
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "organization": str(organization),
        "inviter": (invited_by.get_full_name() or invited_by.get_username()) if invited_by else "",
        "username": user.get_username(),
        "url": accept_url(user),
        "login_url": settings.PORTAL_BASE_URL + reverse("admin:login"),
        "language": language,
        "title": "",
        "translator": translates_only(user),
    }
    return automatic_email(
        templates="organizations/email/invitation",
        context=context,
        to=user.email,
        language=language,
        subject_max=200,
    )


def send_invitation(*, user_id: int, organization_id: int, invited_by_id: int | None) -> bool:
    """Send the invitation mail; False (logged) when the mail server refused it."""
    User = get_user_model()
    user = User.objects.get(pk=user_id)
    organization = Organization.objects.get(pk=organization_id)
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    message = invitation_email(user=user, organization=organization, invited_by=invited_by)
    try:
        message.send()
    except Exception as error:  # the account stays; "Forgotten your password?" reaches it
        logger.warning("Invitation to %s failed: %s", user.email, error)
        return False
    return True


@transaction.atomic
def manager_invite(
    *,
    organization: Organization,
    name: str,
    email: str,
    language: str,
    invited_by: Any,
    role: str = "manager",
) -> Any:
    """Create the colleague's account (staff, "Cluster managers" — or "Translators" for the role
    ``translator`` — no usable password yet),
    link it to ``organization`` and record its language; the invitation mail goes out once the
    transaction commits. An address that already has an account is refused (ValidationError):
    an administrator links existing accounts on the organisation's page."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")},
            code="exists",
        )
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")}, code="invalid")
    if role not in ROLE_GROUPS:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid")
    first_name, last_name = _split_name(name)
    user = User(
        username=email.lower(),
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        is_staff=True,
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    ClusterManager.objects.create(user=user, organization=organization)
    UserPreference.objects.create(user=user, language=language)
    invited_by_id = invited_by.pk if invited_by is not None else None
    transaction.on_commit(
        lambda: send_invitation(
            user_id=user.pk, organization_id=organization.pk, invited_by_id=invited_by_id
        ),
        robust=True,
    )
    return user
