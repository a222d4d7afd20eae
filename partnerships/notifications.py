"""Partners are told what waits for them: e-mails to the managers of an agreement's parties when
one of them acts on its publication (``partnerships/services.py``).

**Which events, and who is told.**

- *submitted* for review: the managers of every party that has not approved the current key
  terms ("X submitted … for your approval");
- *approved* by a party: the managers of the other parties, and whoever submitted the agreement
  for review (:func:`submitter_id`), learn who approved and who is still missing;
- *published*, *withdrawn*: the managers of every party;
- *back to review* (a key-term change took a published agreement off the public site): the
  managers of the parties the editor does not manage;
- *commented* (``partnerships/comments.py``): the managers of the parties the author does not
  manage, with the comment and a link to the thread.

Never the acting user, never an inactive or non-staff account or one without an e-mail address,
never one whose preference (``UserPreference.agreement_notices``) says "never";
one e-mail per recipient per event (a manager of two parties gets one), in the recipient's
language (``core.models.language_of``), with a link to the agreement's admin page.

**When.** The services call ``services._notify`` inside their transaction; it registers an
``on_commit`` callback that enqueues :func:`partnerships.tasks.send_agreement_notice` (the
database task backend in production, run by ``manage.py db_worker``): nothing is sent for a
transition that is rolled back, and a mail server that is down never blocks or undoes the save.
Who is told is decided when the task runs, from the agreement as it then is. Steps without an
acting user (the demo loader) tell nobody, except a key-term change (an import): then every
party's managers are told.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.access import translates_only, translates_only_condition
from core.history import event_model_for
from core.mail import automatic_email
from core.models import UserPreference, language_of
from organizations.models import ClusterManager
from partnerships.models import (
    Agreement,
    AgreementApproval,
    AgreementComment,
    AgreementNotice,
    AgreementParty,
)

logger = logging.getLogger("partnerships.notifications")

SUBJECT_MAX = 200


class Notice(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    BACK_TO_REVIEW = "back_to_review"
    COMMENTED = "commented"


def _parties(agreement: Agreement) -> list[AgreementParty]:
    """The parties in order, each with its organisation and that organisation's managers who may
    receive mail (active staff accounts with an address), with their language preference."""
    managers = (
        ClusterManager.objects.filter(user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .exclude(translates_only_condition())  # translators translate; managers are told
        .exclude(user__preference__agreement_notices=UserPreference.AgreementNotices.NEVER)
        .select_related("user__preference")
        .order_by("user_id")
    )
    return list(
        agreement.parties.select_related("organization")
        .prefetch_related(Prefetch("organization__cluster_managers", queryset=managers))
        .order_by("position", "pk")
    )


def _current_approvals(agreement: Agreement) -> list[AgreementApproval]:
    """The approvals of the current key terms (as ``services.current_approvals``)."""
    return list(
        agreement.approvals.filter(terms_version=agreement.terms_version).select_related(
            "organization", "approved_by"
        )
    )


def submitter_id(agreement: Agreement) -> int | None:
    """Who last sent the agreement to review, from its history (``core/history.py``): the user
    recorded with the latest version whose publication became "in review"; None when unknown
    (a step outside a request, or before history was kept). One query."""
    found: int | None = None
    before = None
    rows = (
        event_model_for(Agreement)
        .objects.filter(pgh_obj_id=agreement.pk)
        .order_by("pgh_created_at", "pgh_id")
        .values_list("publication", "pgh_context__metadata")
    )
    for publication, metadata in rows:
        if publication == Agreement.Publication.IN_REVIEW and before != publication:
            user = (metadata or {}).get("user")
            found = int(user) if user is not None else None
        before = publication
    return found


def _submitter(agreement: Agreement) -> Any:
    """The submitter (:func:`submitter_id`), if they may receive mail, else None."""
    pk = submitter_id(agreement)
    if pk is None:
        return None
    return (
        get_user_model()
        .objects.filter(pk=pk, is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(preference__agreement_notices=UserPreference.AgreementNotices.NEVER)
        .select_related("preference")
        .first()
    )


def _managers(parties: Iterable[AgreementParty]) -> dict[int, Any]:
    users: dict[int, Any] = {}
    for party in parties:
        for link in party.organization.cluster_managers.all():
            users.setdefault(link.user_id, link.user)
    return users


def recipients(
    *,
    agreement: Agreement,
    event: Notice,
    actor: Any = None,
    organization_id: int | None = None,
    parties: list[AgreementParty] | None = None,
) -> list[Any]:
    """Who is told of ``event``, each once, in a stable order (by account id)."""
    parties = _parties(agreement) if parties is None else parties
    if event == Notice.SUBMITTED:
        approved = {approval.organization_id for approval in _current_approvals(agreement)}
        told = [party for party in parties if party.organization_id not in approved]
    elif event == Notice.APPROVED:
        told = [party for party in parties if party.organization_id != organization_id]
    elif event in (Notice.BACK_TO_REVIEW, Notice.COMMENTED) and actor is not None:
        # The editor's own parties know already; a translator's edit is news to their managers.
        own = (
            set()
            if translates_only(actor)
            else {link.organization_id for link in ClusterManager.objects.filter(user=actor)}
        )
        told = [party for party in parties if party.organization_id not in own]
    else:
        told = parties
    users = _managers(told)
    if event == Notice.APPROVED:
        submitter = _submitter(agreement)
        if submitter is not None:
            users.setdefault(submitter.pk, submitter)
    if actor is not None:
        users.pop(actor.pk, None)
    return [users[pk] for pk in sorted(users)]


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def render(
    *,
    agreement: Agreement,
    event: Notice,
    recipient: Any,
    language: str,
    actor: Any,
    organization_id: int | None,
    parties: list[AgreementParty],
    comment: AgreementComment | None = None,
) -> tuple[mail.EmailMultiAlternatives, str]:
    """The mail for ``event`` to ``recipient`` in ``language`` (plain text, with an HTML
    alternative), and its text without greeting and footer, as a daily digest quotes it."""
    with translation.override(language):
        approvals = _current_approvals(agreement)
        approved_ids = {approval.organization_id for approval in approvals}
        context = {
            "event": str(event),
            "agreement": agreement,
            "title": agreement.title,
            "actor": _name(actor),
            "organization": next(
                (str(p.organization) for p in parties if p.organization_id == organization_id),
                "",
            ),
            "parties": [str(party.organization) for party in parties],
            "approved": [
                {"organization": str(approval.organization), "by": _name(approval.approved_by)}
                for approval in approvals
            ],
            "missing": [
                str(party.organization)
                for party in parties
                if party.organization_id not in approved_ids
            ],
            "managed": [
                str(party.organization)
                for party in parties
                if any(
                    link.user_id == recipient.pk
                    for link in party.organization.cluster_managers.all()
                )
            ],
            "recipient": recipient,
            "language": language,
            "admin_url": settings.PORTAL_BASE_URL
            + reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
            "comment": comment,
            "thread_url": settings.PORTAL_BASE_URL
            + reverse("admin:partnerships_agreement_comments", args=[agreement.pk]),
        }
        core = render_to_string("partnerships/email/notice_core.txt", context).strip()
    message = automatic_email(
        templates="partnerships/email/notice",
        context=context,
        to=recipient.email,
        language=language,
        subject_max=SUBJECT_MAX,
    )
    return message, core


def _prefers_digest(user: Any) -> bool:
    try:
        return user.preference.agreement_notices == UserPreference.AgreementNotices.DAILY
    except UserPreference.DoesNotExist:
        return False


def send_notice(
    *,
    agreement_id: int,
    event: str,
    actor_id: int | None = None,
    organization_id: int | None = None,
    comment_id: int | None = None,
    occurrence: str | None = None,
) -> int:
    """Record the notices of ``event`` on the agreement, one per recipient, and send those
    wanted at once; the number sent. ``occurrence`` names the step (``services._notify``): a
    notice already recorded for it and its recipient is neither recorded nor sent again. A
    notice for a recipient who chose the daily digest waits for ``manage.py send_digests``. A
    mail the server refuses is recorded as failed and skipped: the others still go out."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        return 0
    kind = Notice(event)
    step = uuid.UUID(occurrence) if occurrence else uuid.uuid4()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    parties = _parties(agreement)
    comment = None
    if comment_id is not None:
        comment = AgreementComment.objects.filter(pk=comment_id, agreement=agreement).first()
        if comment is None:
            return 0
    sent = 0
    for user in recipients(
        agreement=agreement,
        event=kind,
        actor=actor,
        organization_id=organization_id,
        parties=parties,
    ):
        language = language_of(user)
        message, text = render(
            agreement=agreement,
            event=kind,
            recipient=user,
            language=language,
            actor=actor,
            organization_id=organization_id,
            parties=parties,
            comment=comment,
        )
        digest = _prefers_digest(user)
        record, created = AgreementNotice.objects.get_or_create(
            occurrence=step,
            recipient=user,
            defaults={
                "agreement": agreement,
                "event": str(kind),
                "email": user.email,
                "language": language,
                "subject": str(message.subject)[:300],
                "body": text,
                "delivery": AgreementNotice.Delivery.DIGEST
                if digest
                else AgreementNotice.Delivery.IMMEDIATE,
                "status": AgreementNotice.Status.PENDING
                if digest
                else AgreementNotice.Status.SENDING,
            },
        )
        if not created or digest:
            continue
        try:
            message.send()
        except Exception as error:  # one refused mail must not stop the others
            AgreementNotice.objects.filter(pk=record.pk).update(
                status=AgreementNotice.Status.FAILED, error=f"{type(error).__name__}: {error}"
            )
            logger.warning(
                "Notice %s on %s to %s failed: %s", kind, agreement.slug, user.email, error
            )
            continue
        AgreementNotice.objects.filter(pk=record.pk).update(
            status=AgreementNotice.Status.SENT, sent_at=timezone.now()
        )
        sent += 1
    return sent
