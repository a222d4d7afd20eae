"""Renewal reminders: e-mails to the managers of each party before an agreement's notice deadline
and before its end of term (``partnerships/terms.py`` computes both).

**Who.** The cluster managers (``organizations.models.ClusterManager``) of every party: active
staff accounts with an e-mail address. One who manages two parties of an agreement gets one
mail. Each is written to in their language (``core.models.UserPreference``, else
``settings.LANGUAGE_CODE``).

**Which agreements.** Those with deadlines ahead (:func:`~partnerships.terms.deadlines_on`:
signed or in force, or expired but renewing automatically; never drafts, terminated, superseded
or expired ones), whatever their publication — a signed agreement still in review, or recorded
but not yet submitted, has the same deadlines — except **withdrawn** ones: a withdrawn record is
being corrected, and nobody should act on its dates until it is back.

**When.** ``settings.PORTAL_REMINDER_LEAD_MONTHS`` (6, 3 and 1 by default) before each deadline.
The reminder for a lead time is *due* from its day (the deadline minus the lead) until the day of
the next shorter lead time, and the last one until the deadline itself (inclusive): on any day at
most one reminder per deadline is due, the most recent. So a run that was missed for a week (or
an agreement recorded late) still sends the reminder that is due, once; a lead time whose window
has passed is not caught up (a "6 months before" mail two months before the deadline would be
wrong, and the "3 months" one goes out instead). A renewed term has new deadlines, and new
reminders.

**Once and only once.** Each reminder (agreement, deadline kind and date, lead time, recipient) is
a :class:`~partnerships.models.Reminder` row under the unique constraint
``partnerships_reminder_once_per_recipient``. A run *claims* its reminders before sending them:
``INSERT … ON CONFLICT DO NOTHING`` (``bulk_create(ignore_conflicts=True)``) in autocommit, tagged
with the run's id, then reads back the rows it inserted; only those are sent. A parallel run's
insert of the same row waits for the first one's commit and then does nothing, so it never sends
it. After sending, the rows are marked sent (or failed, with the error). A crash between the claim
and the mark leaves rows "sending (not confirmed)": they are **never** sent again by themselves —
a mail may be missed after a crash, never duplicated (an administrator can delete such a row in
the admin to have it sent on the next run). Why not insert and send in one transaction: a crash
after the SMTP server accepted the mail but before the commit would roll the row back, and the
next run would send the mail a second time; and the transaction would hold its locks while
talking to the mail server. A mail the server refused (an exception) is known not to be sent:
its row is marked failed and the next run, while the reminder is still due, claims it again with
a conditional ``UPDATE … WHERE status = 'failed'`` (again only one run can win it).

**Cost.** A fixed number of queries per run, whatever the number of agreements: the candidate
agreements with their status, their parties with their organisations, the managers with their
preferences, the reminders already recorded, the claim, the read-back, and one update per
``MARK_BATCH`` mails sent (plus one per failed mail).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core import mail
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation

from core.access import translates_only_condition
from core.mail import automatic_email
from core.models import language_of
from organizations.models import ClusterManager
from partnerships import health
from partnerships.models import Agreement, AgreementParty, Reminder
from partnerships.terms import add_months, deadlines_on

logger = logging.getLogger("partnerships.reminders")

# Sent mails are marked in batches: after a crash at most this many stay "sending".
MARK_BATCH = 25

Key = tuple[int, str, datetime.date, int, int]  # agreement, kind, deadline, lead months, user


def due_lead(deadline: datetime.date, today: datetime.date, leads: Sequence[int]) -> int | None:
    """The lead time (months) whose reminder for ``deadline`` is due on ``today``: the shortest
    one whose day has come, until the deadline itself; None before the first or after it."""
    if today > deadline:
        return None
    come = [months for months in leads if add_months(deadline, -months) <= today]
    return min(come) if come else None


@dataclasses.dataclass(frozen=True)
class Due:
    """A reminder due today, rendered in its recipient's language."""

    agreement: Agreement
    kind: str
    deadline: datetime.date
    lead_months: int
    recipient: Any  # a user
    language: str
    message: mail.EmailMultiAlternatives

    @property
    def key(self) -> Key:
        return (self.agreement.pk, self.kind, self.deadline, self.lead_months, self.recipient.pk)

    def describe(self) -> str:
        return (
            f"{self.agreement.slug}: {self.kind} {self.deadline.isoformat()}, "
            f"{self.lead_months} months before, to {self.recipient.email} [{self.language}]"
        )


@dataclasses.dataclass
class Summary:
    """What a run did; ``lines`` one per reminder (for the command's log)."""

    today: datetime.date
    dry_run: bool
    agreements: int = 0  # agreements with deadlines ahead
    due: int = 0  # reminders due today, recorded or not
    already: int = 0  # recorded by an earlier run (sent, or sending unconfirmed)
    taken: int = 0  # claimed by a parallel run while this one ran
    sent: int = 0
    failed: int = 0
    lines: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["today"] = self.today.isoformat()
        return data

    def __str__(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        count = self.due - self.already - self.taken if self.dry_run else self.sent
        return (
            f"Reminders on {self.today.isoformat()}: {self.agreements} agreements with deadlines "
            f"ahead, {self.due} reminders due, {self.already} already recorded, "
            f"{verb} {count}, failed {self.failed}, taken by another run {self.taken}."
        )


def candidate_agreements(today: datetime.date) -> Any:
    """Agreements that may have deadlines ahead, with their parties and the parties' managers
    (and their language preference): three queries."""
    managers = (
        ClusterManager.objects.filter(user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .exclude(translates_only_condition())  # translators translate; managers are told
        .select_related("user__preference")
    )
    parties = AgreementParty.objects.select_related("organization").prefetch_related(
        Prefetch("organization__cluster_managers", queryset=managers)
    )
    agreements = (
        Agreement.objects.with_status(today)
        .filter(state=Agreement.State.CONCLUDED)
        .exclude(publication=Agreement.Publication.WITHDRAWN)
        .filter(Q(valid_until__isnull=False) | Q(term_length__isnull=False))
        .filter(
            Q(current_status__in=[Agreement.Status.SIGNED, Agreement.Status.IN_FORCE])
            | Q(current_status=Agreement.Status.EXPIRED, auto_renewal=True)
        )
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("pk")
    )
    # The facts for the renewal decision (issue 21): in the same query, as subqueries.
    return health.with_health(agreements, today)


def health_line(agreement: Any, today: datetime.date | None = None) -> str:
    """ "3 of 5 commitments active in the last 12 months; last activity 14 March 2026", in the
    active language, for an agreement from :func:`candidate_agreements`."""
    return health.health_sentence(health.health_of(agreement, today))


def recipients_of(agreement: Agreement) -> list[Any]:
    """The managers of the agreement's parties, each once, in a stable order."""
    users: dict[int, Any] = {}
    for party in agreement.parties.all():
        for link in party.organization.cluster_managers.all():
            users.setdefault(link.user_id, link.user)
    return [users[pk] for pk in sorted(users)]


def render(
    agreement: Agreement,
    *,
    kind: str,
    deadline: datetime.date,
    lead_months: int,
    end_of_term: datetime.date,
    notice_deadline: datetime.date | None,
    recipient: Any,
    language: str,
) -> mail.EmailMultiAlternatives:
    """The reminder mail in ``language``: plain text, with an HTML alternative."""
    with translation.override(language):
        managed = [
            str(party.organization)
            for party in agreement.parties.all()
            if any(
                link.user_id == recipient.pk for link in party.organization.cluster_managers.all()
            )
        ]
        context = {
            "agreement": agreement,
            "title": agreement.title,
            "kind": kind,
            "is_notice": kind == Reminder.Kind.NOTICE_DEADLINE,
            "deadline": deadline,
            "lead_months": lead_months,
            "end_of_term": end_of_term,
            "notice_deadline": notice_deadline,
            "auto_renewal": agreement.auto_renewal,
            "health": health_line(agreement) if hasattr(agreement, "last_activity") else "",
            "parties": [str(party.organization) for party in agreement.parties.all()],
            "managed": managed,
            "recipient": recipient,
            "language": language,
            "admin_url": settings.PORTAL_BASE_URL
            + reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
            "public_url": (
                settings.PORTAL_BASE_URL + agreement.get_absolute_url()
                if agreement.is_public
                else ""
            ),
        }
    return automatic_email(
        templates="partnerships/email/reminder",
        context=context,
        to=recipient.email,
        language=language,
        subject_max=Reminder._meta.get_field("subject").max_length,
    )


def due_reminders(
    today: datetime.date, leads: Sequence[int] | None = None
) -> tuple[int, list[Due]]:
    """The reminders due on ``today`` (recorded or not) and the number of agreements with
    deadlines ahead."""
    leads = list(leads or settings.PORTAL_REMINDER_LEAD_MONTHS)
    found: list[Due] = []
    agreements = 0
    for agreement in candidate_agreements(today):
        deadlines = deadlines_on(agreement, today, status=agreement.current_status)
        if deadlines is None:
            continue
        agreements += 1
        for kind, deadline in (
            (Reminder.Kind.NOTICE_DEADLINE, deadlines.notice_deadline),
            (Reminder.Kind.END_OF_TERM, deadlines.end_of_term),
        ):
            if deadline is None:
                continue
            lead = due_lead(deadline, today, leads)
            if lead is None:
                continue
            for user in recipients_of(agreement):
                language = language_of(user)
                found.append(
                    Due(
                        agreement=agreement,
                        kind=str(kind),
                        deadline=deadline,
                        lead_months=lead,
                        recipient=user,
                        language=language,
                        message=render(
                            agreement,
                            kind=kind,
                            deadline=deadline,
                            lead_months=lead,
                            end_of_term=deadlines.end_of_term,
                            notice_deadline=deadlines.notice_deadline,
                            recipient=user,
                            language=language,
                        ),
                    )
                )
    return agreements, found


def _recorded(due: Iterable[Due]) -> dict[Key, tuple[int, str]]:
    """The reminders already recorded among ``due``: key → (id, status). One query."""
    agreement_ids = {item.agreement.pk for item in due}
    if not agreement_ids:
        return {}
    rows = Reminder.objects.filter(agreement_id__in=agreement_ids).values_list(
        "pk", "agreement_id", "kind", "deadline", "lead_months", "recipient_id", "status"
    )
    return {(a, k, d, m, u): (pk, status) for pk, a, k, d, m, u, status in rows}


def send_due_reminders(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    leads: Sequence[int] | None = None,
) -> Summary:
    """Send the reminders due on ``today`` that no run has sent yet; see the module docstring.
    Runs in autocommit (not inside a transaction): each claim is committed before its mail is
    sent. ``dry_run`` sends and writes nothing and lists what would be sent."""
    today = today or timezone.localdate()
    summary = Summary(today=today, dry_run=dry_run)
    summary.agreements, due = due_reminders(today, leads)
    summary.due = len(due)
    recorded = _recorded(due)
    new = [item for item in due if item.key not in recorded]
    retry = {
        recorded[item.key][0]: item
        for item in due
        if item.key in recorded and recorded[item.key][1] == Reminder.Status.FAILED
    }
    summary.already = len(due) - len(new) - len(retry)
    if dry_run:
        summary.lines = [f"would send {item.describe()}" for item in [*new, *retry.values()]]
        return summary

    run = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(
                agreement=item.agreement,
                kind=item.kind,
                deadline=item.deadline,
                lead_months=item.lead_months,
                recipient=item.recipient,
                email=item.recipient.email,
                language=item.language,
                subject=str(item.message.subject),
                status=Reminder.Status.SENDING,
                run=run,
            )
            for item in new
        ],
        ignore_conflicts=True,
    )
    if retry:
        Reminder.objects.filter(pk__in=list(retry), status=Reminder.Status.FAILED).update(
            status=Reminder.Status.SENDING, run=run, error=""
        )
    by_key = {item.key: item for item in [*new, *retry.values()]}
    claimed = {
        (a, k, d, m, u): pk
        for pk, a, k, d, m, u in Reminder.objects.filter(
            run=run, status=Reminder.Status.SENDING
        ).values_list("pk", "agreement_id", "kind", "deadline", "lead_months", "recipient_id")
    }
    summary.taken = len(by_key) - len(claimed)

    sent: list[int] = []

    def mark_sent() -> None:
        if sent:
            Reminder.objects.filter(pk__in=sent).update(
                status=Reminder.Status.SENT, sent_at=timezone.now()
            )
            sent.clear()

    if not claimed:
        logger.info("%s", summary)
        return summary
    with mail.mailers.default as connection:
        for key in sorted(claimed, key=lambda k: (k[0], k[1], k[4])):
            item, pk = by_key[key], claimed[key]
            try:
                connection.send_messages([item.message])
            except Exception as error:  # any failure of one mail: record it, go on
                Reminder.objects.filter(pk=pk).update(
                    status=Reminder.Status.FAILED, error=f"{type(error).__name__}: {error}"
                )
                summary.failed += 1
                summary.lines.append(f"FAILED {item.describe()}: {error}")
                logger.warning("Reminder failed: %s: %s", item.describe(), error)
                continue
            sent.append(pk)
            summary.sent += 1
            summary.lines.append(f"sent {item.describe()}")
            logger.info("Reminder sent: %s", item.describe())
            if len(sent) >= MARK_BATCH:
                mark_sent()
    mark_sent()
    logger.info("%s", summary)
    return summary
