# ruff: noqa: F811 - the fixtures of test_notifications.py, imported by name
"""Every partners' notice is recorded (AgreementNotice), sent once, at once or in the recipient's
daily digest (partnerships/digests.py, manage.py send_digests), and a mail server that is down
never blocks the step. "My e-mails" lets each account choose.

Personas as in test_notifications.py: Keiko (Kyoto, Japanese), Kenta (Kyoto), Jean (Lyon,
German).
"""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core.models import UserPreference
from partnerships import digests, notifications
from partnerships.models import Agreement, AgreementNotice
from partnerships.services import agreement_approve, agreement_submit_for_review
from tests.partnerships.test_notifications import (  # noqa: F401 - fixtures
    act,
    agreement,
    in_review,
    kyoto,
    lyon,
    people,
    recipients,
    stockholm,
)

pytestmark = pytest.mark.django_db

DAILY = UserPreference.AgreementNotices.DAILY


@pytest.fixture
def jean_daily(people):
    UserPreference.objects.filter(user=people["jean"]).update(agreement_notices=DAILY)
    return people["jean"]


def test_every_notice_sent_at_once_is_recorded_as_sent(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    rows = AgreementNotice.objects.order_by("email")
    assert [(r.email, r.delivery, r.status) for r in rows] == [
        ("jean@example.org", "immediate", "sent"),
        ("kenta@example.org", "immediate", "sent"),
    ]
    assert (
        rows[0].subject == mail.outbox[[m.to for m in mail.outbox].index([rows[0].email])].subject
    )


def test_a_step_whose_notice_task_runs_twice_is_sent_once(agreement, people):
    kwargs = {
        "agreement_id": agreement.pk,
        "event": "submitted",
        "actor_id": people["keiko"].pk,
        "occurrence": "6f1c1b52-0c1e-4c51-9d1a-6d2b8c7e0a11",
    }
    assert notifications.send_notice(**kwargs) == 2
    assert notifications.send_notice(**kwargs) == 0
    assert len(mail.outbox) == 2


def test_a_manager_who_chose_the_digest_gets_no_mail_at_once(act, agreement, people, jean_daily):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert recipients() == ["kenta@example.org"]
    waiting = AgreementNotice.objects.get(recipient=jean_daily)
    assert (waiting.delivery, waiting.status) == ("digest", "pending")


def test_the_digest_is_one_mail_with_every_waiting_notice_in_the_readers_language(
    act, agreement, people, jean_daily, kyoto
):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])
    act(agreement_approve, agreement=agreement, organization=kyoto, user=people["keiko"])
    mail.outbox.clear()

    run = digests.send_digests()

    assert (run.recipients, run.notices) == (1, 2)
    [message] = mail.outbox
    assert message.to == ["jean@example.org"]
    assert message.subject == "Die Schritte Ihrer Partner heute: 2 Mitteilungen"
    assert "Kyoto–Lyon memorandum" in message.body
    assert "https://portal.example" + reverse("admin:my_emails") in message.body
    assert set(
        AgreementNotice.objects.filter(recipient=jean_daily).values_list("status", flat=True)
    ) == {"sent"}


def test_a_second_digest_run_sends_nothing(act, agreement, people, jean_daily):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])
    digests.send_digests()
    mail.outbox.clear()

    assert digests.send_digests().recipients == 0
    assert mail.outbox == []


def test_a_refused_digest_waits_for_the_next_run(act, agreement, people, jean_daily):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])
    mail.outbox.clear()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError):
        assert digests.send_digests().failed == 1

    waiting = AgreementNotice.objects.get(recipient=jean_daily)
    assert waiting.status == "pending" and "ConnectionRefusedError" in waiting.error
    assert digests.send_digests().notices == 1


def test_a_mail_server_that_is_down_never_blocks_the_step_and_the_failure_is_recorded(
    act, agreement, people
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError):
        act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert Agreement.objects.get(pk=agreement.pk).publication == Agreement.Publication.IN_REVIEW
    assert set(AgreementNotice.objects.values_list("status", flat=True)) == {"failed"}


def test_the_command_sends_the_digests_and_says_what_it_did(act, agreement, people, jean_daily):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])
    out = io.StringIO()

    call_command("send_digests", stdout=out)

    assert "sent 1 notice(s) to jean@example.org" in out.getvalue()


# --- My e-mails ---------------------------------------------------------------------------------


def test_a_manager_chooses_the_daily_digest_on_my_emails(client, people):
    client.force_login(people["kenta"])

    response = client.post(
        reverse("admin:my_emails"), {"language": "de", "agreement_notices": "daily"}
    )

    assert response.status_code == 302
    preference = UserPreference.objects.get(user=people["kenta"])
    assert (preference.language, preference.agreement_notices) == ("de", "daily")


def test_my_emails_is_linked_from_every_admin_page_and_keeps_its_budget(
    client, people, django_assert_max_num_queries
):
    client.force_login(people["jean"])
    assert reverse("admin:my_emails") in client.get(reverse("admin:index")).content.decode()

    # session, user, second-factor device, the preference, the permissions for the admin's
    # menu (user's, groups'), administrator?; the session saved (savepoint, update, release)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:my_emails"))
    assert response.status_code == 200
    assert 'value="daily"' in response.content.decode()
