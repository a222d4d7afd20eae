"""The daily digest of partners' notices: for each manager who chose "once a day"
(``UserPreference.agreement_notices``), one e-mail with every notice recorded for them since the
last digest (``AgreementNotice`` rows waiting, see ``partnerships/notifications.py``).

``manage.py send_digests`` runs it (cron, once a day). Each recipient's waiting rows are claimed
in a short transaction (``select_for_update(skip_locked=True)``) before the mail is sent, so two
runs at once never send the same notice twice; a mail the server refuses puts the rows back to
wait for the next run, with the error recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import automatic_email
from core.models import language_of
from partnerships.models import AgreementNotice

logger = logging.getLogger("partnerships.digests")


@dataclass
class DigestRun:
    recipients: int = 0
    notices: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.recipients} digest(s) sent with {self.notices} notice(s), {self.failed} failed"
        )


def waiting_recipient_ids() -> list[int]:
    return list(
        AgreementNotice.objects.filter(status=AgreementNotice.Status.PENDING)
        .exclude(recipient=None)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def _claim(recipient_id: int) -> list[AgreementNotice]:
    with transaction.atomic():
        rows = list(
            AgreementNotice.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=recipient_id, status=AgreementNotice.Status.PENDING)
            .order_by("created_at", "pk")
        )
        if rows:
            AgreementNotice.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=AgreementNotice.Status.SENDING
            )
    return rows


def render_digest(*, user: Any, notices: list[AgreementNotice]) -> Any:
    language = language_of(user)
    context = {
        "recipient": user,
        "name": user.get_full_name() or user.get_username(),
        "notices": notices,
        "count": len(notices),
        "language": language,
        "title": "",
        "preferences_url": settings.PORTAL_BASE_URL + reverse("admin:my_emails"),
    }
    return automatic_email(
        templates="partnerships/email/digest",
        context=context,
        to=user.email,
        language=language,
        subject_max=200,
    )


def send_digests(*, dry_run: bool = False) -> DigestRun:
    """Send each waiting recipient their digest; see the module docstring."""
    run = DigestRun()
    users = get_user_model().objects.select_related("preference")
    for recipient_id in waiting_recipient_ids():
        user = users.filter(pk=recipient_id, is_active=True).exclude(email="").first()
        if user is None:
            continue
        if dry_run:
            count = AgreementNotice.objects.filter(
                recipient_id=recipient_id, status=AgreementNotice.Status.PENDING
            ).count()
            run.lines.append(f"would send {count} notice(s) to {user.email}")
            continue
        rows = _claim(recipient_id)
        if not rows:
            continue  # another run has them
        ids = [row.pk for row in rows]
        message = render_digest(user=user, notices=rows)
        try:
            message.send()
        except Exception as error:  # this recipient's notices wait for the next run
            AgreementNotice.objects.filter(pk__in=ids).update(
                status=AgreementNotice.Status.PENDING, error=f"{type(error).__name__}: {error}"
            )
            run.failed += 1
            run.lines.append(f"FAILED digest to {user.email}: {error}")
            logger.warning("Digest to %s failed: %s", user.email, error)
            continue
        AgreementNotice.objects.filter(pk__in=ids).update(
            status=AgreementNotice.Status.SENT, sent_at=timezone.now(), error=""
        )
        run.recipients += 1
        run.notices += len(rows)
        run.lines.append(f"sent {len(rows)} notice(s) to {user.email}")
    logger.info("%s", run)
    return run
