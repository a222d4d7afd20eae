"""Renewal reminders (partnerships/reminders.py): the right mails on the right days, once only,
in each recipient's language, to the managers of the parties only.

Personas: Anna manages BioM (writes German), Kenji manages Osaka (writes Japanese), Olga manages
a party too but set no language (English, the site's default), Sam manages an organisation that
is no party. The agreement: signed 2 November 2015 for five years (ends 1 November 2020), six
months' notice (by 1 May 2020). With the default lead times 6, 3 and 1 months the notice
reminders fall on 1 November 2019, 1 February 2020 and 1 April 2020, the end-of-term ones on
1 May, 1 August and 1 October 2020.
"""

from __future__ import annotations

import datetime
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core.models import UserPreference
from organizations.models import ClusterManager
from partnerships.models import Agreement, Reminder
from partnerships.reminders import due_lead, send_due_reminders
from partnerships.tasks import send_due_reminders as send_due_reminders_task
from partnerships.terms import DurationUnit
from tests.factories import AgreementFactory, AgreementPartyFactory, OrganizationFactory

D = datetime.date
pytestmark = pytest.mark.django_db

NOTICE_DAYS = [D(2019, 11, 1), D(2020, 2, 1), D(2020, 4, 1)]
END_DAYS = [D(2020, 5, 1), D(2020, 8, 1), D(2020, 10, 1)]


def manager(name, organization, language=None):
    user = get_user_model().objects.create_user(
        name, email=f"{name}@example.org", is_staff=True, first_name=name.title()
    )
    ClusterManager.objects.create(user=user, organization=organization)
    if language:
        UserPreference.objects.create(user=user, language=language)
    return user


@pytest.fixture
def cast():
    biom = OrganizationFactory(name="BioM (synthetic)")
    osaka = OrganizationFactory(name="Osaka Bio HQ (synthetic)")
    third = OrganizationFactory(name="Third party (synthetic)")
    stranger = OrganizationFactory(name="Stranger Cluster (synthetic)")
    people = {
        "anna": manager("anna", biom, "de"),
        "kenji": manager("kenji", osaka, "ja"),
        "olga": manager("olga", third),
        "sam": manager("sam", stranger, "en"),
    }
    return SimpleNamespace(people=people, parties=(biom, osaka, third))


def agreement_of(parties, **fields):
    defaults = {
        "title": "Synthetic BioM–Osaka agreement",
        "signed_on": D(2015, 11, 2),
        "term": Agreement.Term.FIXED,
        "term_length": 5,
        "term_length_unit": DurationUnit.YEARS,
        "notice_period": 6,
        "notice_period_unit": DurationUnit.MONTHS,
    }
    agreement = AgreementFactory(**{**defaults, **fields})
    for organization in parties:
        AgreementPartyFactory(agreement=agreement, organization=organization)
    return agreement


def run_on(day, **kwargs):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 0), tick=False):
        return send_due_reminders(**kwargs)


def test_a_reminder_is_due_from_its_day_until_the_next_shorter_lead_time():
    deadline = D(2020, 5, 1)
    leads = [6, 3, 1]
    assert due_lead(deadline, D(2019, 10, 31), leads) is None
    assert due_lead(deadline, D(2019, 11, 1), leads) == 6
    assert due_lead(deadline, D(2020, 1, 31), leads) == 6
    assert due_lead(deadline, D(2020, 2, 1), leads) == 3
    assert due_lead(deadline, D(2020, 4, 1), leads) == 1
    assert due_lead(deadline, D(2020, 5, 1), leads) == 1  # the deadline itself
    assert due_lead(deadline, D(2020, 5, 2), leads) is None


def test_the_right_mails_on_the_right_days_and_never_twice(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    sent_on: dict[D, list[str]] = {}
    # Daily runs around each reminder day, and one a fortnight in between (every day would
    # take a minute and a half).
    one_day = datetime.timedelta(days=1)
    days = {day + one_day * offset for day in NOTICE_DAYS + END_DAYS for offset in (-1, 0, 1, 2)}
    days |= {D(2019, 10, 1) + one_day * 14 * n for n in range(30)}
    for day in sorted(days):
        mail.outbox.clear()
        run_on(day)
        if mail.outbox:
            sent_on[day] = sorted(message.to[0] for message in mail.outbox)

    assert sorted(sent_on) == NOTICE_DAYS + END_DAYS
    assert all(to == ["anna@example.org", "kenji@example.org"] for to in sent_on.values())
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 12
    assert set(Reminder.objects.values_list("lead_months", flat=True)) == {6, 3, 1}


def test_a_second_run_on_the_same_day_sends_nothing(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    first = run_on(NOTICE_DAYS[0])
    second = run_on(NOTICE_DAYS[0])

    assert (first.sent, second.sent, second.already) == (2, 0, 2)
    assert len(mail.outbox) == 2


def test_a_run_missed_for_a_week_sends_the_due_reminder_once(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    run_on(NOTICE_DAYS[0] + datetime.timedelta(days=7))
    run_on(NOTICE_DAYS[0] + datetime.timedelta(days=8))

    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("kind", "lead_months")) == {("notice_deadline", 6)}


def test_a_long_missed_lead_time_is_not_caught_up_only_the_current_one(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    run_on(D(2020, 3, 1))  # after the 6- and 3-month days of the notice deadline

    assert set(Reminder.objects.values_list("kind", "lead_months")) == {("notice_deadline", 3)}
    assert len(mail.outbox) == 2


def test_each_recipient_is_written_to_in_their_language(cast):
    parties = cast.parties
    agreement_of(parties, title_de="Synthetische Vereinbarung", title_ja="合成協定")
    run_on(NOTICE_DAYS[0])
    by_address = {message.to[0]: message for message in mail.outbox}

    german = by_address["anna@example.org"]
    assert german.extra_headers["Content-Language"] == "de"
    assert german.subject.startswith("Kündigungsfrist in 6 Monaten: Synthetische Vereinbarung")
    assert "1. Mai 2020" in german.body
    japanese = by_address["kenji@example.org"]
    assert japanese.extra_headers["Content-Language"] == "ja"
    assert "合成協定" in japanese.subject
    assert "解約" in japanese.body
    assert (
        "Vertragspartner: BioM (synthetic), Osaka Bio HQ (synthetic) und Third party" in german.body
    )
    assert "als Verwalter/in von BioM (synthetic) im" in german.body
    english = by_address["olga@example.org"]  # no preference: settings.LANGUAGE_CODE
    assert english.extra_headers["Content-Language"] == "en"
    assert english.subject.startswith("Notice deadline in 6 months: Synthetic BioM–Osaka")
    assert "1 May 2020" in english.body
    assert set(Reminder.objects.values_list("email", "language")) == {
        ("anna@example.org", "de"),
        ("kenji@example.org", "ja"),
        ("olga@example.org", "en"),
    }


def test_the_mail_links_to_the_admin_and_to_the_public_page_if_published(cast):
    parties = cast.parties
    published = agreement_of(parties[:1], slug="synthetic-published")
    unpublished = agreement_of(
        parties[1:2], slug="synthetic-in-review", publication=Agreement.Publication.IN_REVIEW
    )
    run_on(NOTICE_DAYS[0])
    by_address = {message.to[0]: message for message in mail.outbox}

    anna, kenji = by_address["anna@example.org"], by_address["kenji@example.org"]
    admin_url = reverse("admin:partnerships_agreement_change", args=[published.pk])
    assert f"https://portal.example{admin_url}" in anna.body
    assert "https://portal.example/de/agreements/synthetic-published/" in anna.body
    assert isinstance(anna, mail.EmailMultiAlternatives)
    assert anna.alternatives[0][1] == "text/html"
    assert f"/admin/partnerships/agreement/{unpublished.pk}/change/" in kenji.body
    assert "synthetic-in-review" not in kenji.body  # no public page to link to


@pytest.mark.parametrize(
    "fields",
    [
        {"publication": Agreement.Publication.WITHDRAWN},
        {"terminated_on": D(2019, 6, 30)},
        {"state": Agreement.State.DRAFT, "signed_on": None},
    ],
    ids=["withdrawn", "terminated", "draft"],
)
def test_no_reminders_for_withdrawn_terminated_or_draft_agreements(cast, fields):
    parties = cast.parties
    agreement_of(parties[:2], **fields)
    summary = run_on(NOTICE_DAYS[0])

    assert (summary.sent, len(mail.outbox), Reminder.objects.count()) == (0, 0, 0)


def test_no_reminders_for_a_superseded_agreement(cast):
    parties = cast.parties
    old = agreement_of(parties[:2])
    agreement_of(
        parties[:2],
        previous=old,
        lineage=Agreement.Lineage.RENEWS,
        signed_on=D(2019, 6, 1),
        term=Agreement.Term.OPEN_ENDED,
        term_length=None,
        notice_period=None,
    )
    run_on(NOTICE_DAYS[0])

    assert mail.outbox == []


def test_a_signed_agreement_in_review_has_its_reminders(cast):
    parties = cast.parties
    agreement_of(parties[:2], publication=Agreement.Publication.IN_REVIEW)
    run_on(NOTICE_DAYS[0])

    assert len(mail.outbox) == 2


def test_managers_of_organisations_that_are_no_party_get_nothing(cast):
    parties = cast.parties
    agreement_of(parties)
    run_on(NOTICE_DAYS[0])

    assert "sam@example.org" not in {message.to[0] for message in mail.outbox}


def test_a_manager_of_two_parties_gets_one_mail(cast):
    parties = cast.parties
    ClusterManager.objects.create(user=cast.people["anna"], organization=parties[1])
    agreement_of(parties[:2])
    run_on(NOTICE_DAYS[0])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "kenji@example.org",
    ]


def test_an_automatically_renewing_agreement_is_reminded_of_its_next_term(cast):
    parties = cast.parties
    agreement_of(parties[:1], auto_renewal=True)  # next term: 2 Nov 2020 – 1 Nov 2025
    run_on(D(2024, 11, 1))  # six months before the notice deadline of 1 May 2025

    (reminder,) = Reminder.objects.all()
    assert (reminder.kind, reminder.deadline, reminder.lead_months) == (
        "notice_deadline",
        D(2025, 5, 1),
        6,
    )


def test_a_reminder_claimed_by_another_run_is_not_sent_again(cast):
    parties = cast.parties
    agreement = agreement_of(parties[:1])
    # Another run claimed it and crashed before confirming: it stays unconfirmed, unsent.
    Reminder.objects.create(
        agreement=agreement,
        kind=Reminder.Kind.NOTICE_DEADLINE,
        deadline=D(2020, 5, 1),
        lead_months=6,
        recipient=cast.people["anna"],
        email="anna@example.org",
        language="de",
        subject="…",
        run="00000000-0000-0000-0000-000000000000",
    )
    summary = run_on(NOTICE_DAYS[0])

    assert (summary.sent, summary.already, mail.outbox) == (0, 1, [])


def test_a_failed_mail_is_recorded_and_sent_by_the_next_run(cast):
    parties = cast.parties
    agreement_of(parties[:1])
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    ):
        failed = run_on(NOTICE_DAYS[0])
    (reminder,) = Reminder.objects.all()
    assert (failed.failed, reminder.status) == (1, Reminder.Status.FAILED)
    assert "mail server down" in reminder.error

    retried = run_on(NOTICE_DAYS[0] + datetime.timedelta(days=1))
    reminder.refresh_from_db()
    assert (retried.sent, reminder.status, len(mail.outbox)) == (1, Reminder.Status.SENT, 1)


def test_a_dry_run_sends_and_writes_nothing(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    summary = run_on(NOTICE_DAYS[0], dry_run=True)

    assert (mail.outbox, Reminder.objects.count()) == ([], 0)
    assert len(summary.lines) == 2
    assert all(line.startswith("would send ") for line in summary.lines)


def test_the_number_of_queries_does_not_grow_with_the_agreements(
    cast, django_assert_max_num_queries
):
    parties = cast.parties
    for number in range(6):
        agreement_of(parties, slug=f"synthetic-{number}")
    # Agreements with their status; parties with organisations; managers with preferences;
    # reminders recorded; the claim; the read-back; marking sent (36 mails: 2 batches).
    with django_assert_max_num_queries(8):
        summary = run_on(NOTICE_DAYS[0])
    assert summary.sent == 18


def test_the_command_runs_for_a_given_day_and_prints_a_summary(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    out = StringIO()
    call_command("send_reminders", "--today", "2019-11-01", stdout=out)

    output = out.getvalue()
    assert "sent synthetic" not in output  # lines start with the agreement's slug
    assert "to anna@example.org [de]" in output
    assert output.strip().endswith("sent 2, failed 0, taken by another run 0.")
    assert len(mail.outbox) == 2


def test_the_command_refuses_a_malformed_day():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "1 Nov 2019")


def test_the_task_sends_through_the_tasks_framework(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    result = send_due_reminders_task.enqueue("2019-11-01")

    assert result.return_value["sent"] == 2
    assert len(mail.outbox) == 2


def test_the_command_enqueues_the_task(cast):
    parties = cast.parties
    agreement_of(parties[:2])
    out = StringIO()
    call_command("send_reminders", "--enqueue", "--today", "2019-11-01", stdout=out)

    assert "Enqueued the reminder run" in out.getvalue()
    assert len(mail.outbox) == 2  # the test settings' immediate backend ran it


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def reminded(cast):
    """Anna, Kenji and Olga reminded of one agreement; Sam (no party) of his own."""
    from django.contrib.auth.models import Group

    from core.access import MANAGERS_GROUP
    from portal.roles import setup_roles

    setup_roles()
    group = Group.objects.get(name=MANAGERS_GROUP)
    for user in cast.people.values():
        user.groups.add(group)
    shared = agreement_of(cast.parties, slug="synthetic-shared")
    stranger = ClusterManager.objects.get(user=cast.people["sam"]).organization
    own = agreement_of([stranger], slug="synthetic-sams-own")
    run_on(NOTICE_DAYS[0])
    return SimpleNamespace(shared=shared, own=own)


def test_a_manager_sees_the_reminders_of_their_organisations_only(client, cast, reminded):
    client.force_login(cast.people["sam"])
    response = client.get(reverse("admin:partnerships_reminder_changelist"))

    assert response.status_code == 200
    shown = {reminder.agreement_id for reminder in response.context["cl"].result_list}
    assert shown == {reminded.own.pk}
    other = Reminder.objects.filter(agreement=reminded.shared).earliest("pk")
    url = reverse("admin:partnerships_reminder_change", args=[other.pk])
    assert client.get(url).status_code == 404


def test_the_reminders_are_read_only_in_the_admin(client, cast, reminded):
    client.force_login(cast.people["anna"])
    reminder = Reminder.objects.get(agreement=reminded.shared, email="anna@example.org")
    url = reverse("admin:partnerships_reminder_change", args=[reminder.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert b'name="email"' not in page.content  # shown, not editable
    assert client.post(url, {"email": "x@example.org"}).status_code == 403
    assert client.get(reverse("admin:partnerships_reminder_add")).status_code == 403


def test_the_agreement_page_lists_its_reminders(client, cast, reminded):
    client.force_login(cast.people["kenji"])
    url = reverse("admin:partnerships_agreement_change", args=[reminded.shared.pk])

    page = client.get(url).content.decode()
    assert "kenji@example.org" in page
    assert "anna@example.org" in page
    assert "sam@example.org" not in page


# --- The facts for the renewal decision (issue 21) --------------------------------------------


def test_the_reminder_states_the_commitments_kept_and_the_last_activity(cast):
    from tests.factories import ActivityFactory, CommitmentFactory

    agreement = agreement_of(cast.parties[2:])  # the third party, Olga reads English
    commitments = [CommitmentFactory(agreement=agreement) for _ in range(5)]
    for day, kept in ((D(2019, 3, 14), commitments[:3]), (D(2018, 5, 1), commitments[3:])):
        activity = ActivityFactory(agreement=agreement, starts_on=day)
        activity.commitments.set(kept)
    mail.outbox.clear()

    run_on(NOTICE_DAYS[0])  # 1 November 2019

    (message,) = [m for m in mail.outbox if m.to == ["olga@example.org"]]
    assert "3 of 5 commitments active in the last 12 months; last activity 14 March 2019" in (
        message.body
    )


def test_the_reminder_in_german_says_no_activity_was_recorded(cast):
    agreement_of(cast.parties[:1])  # BioM, Anna reads German

    run_on(NOTICE_DAYS[0])

    (message,) = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    assert "Aktivität: Keine Aktivität erfasst" in message.body


def test_a_partys_translator_gets_no_renewal_reminder(cast):
    from django.contrib.auth.models import Group

    from core.access import TRANSLATORS_GROUP

    parties = cast.parties
    tomoko = manager("tomoko", parties[0], "ja")
    tomoko.groups.add(Group.objects.get_or_create(name=TRANSLATORS_GROUP)[0])
    agreement_of(parties[:2])

    run_on(NOTICE_DAYS[0])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "kenji@example.org",
    ]
