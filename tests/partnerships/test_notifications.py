"""Partners are told what waits for them (partnerships/notifications.py): who gets an e-mail for
each step of an agreement's publication, in which language, with which link; never the acting
user, never an inactive account, nobody twice.

Personas: Keiko manages Kyoto (writes Japanese), her colleague Kenta manages Kyoto too (no
preference: English), Jean manages Lyon (writes German), Ines managed Lyon but her account is
inactive, Lars manages Stockholm, which is no party. Dora manages both Kyoto and Lyon; Noor
manages Lyon and chose never to be told. Ada is a portal administrator. The
agreement: a concluded memorandum between Kyoto and Lyon, a draft at first.
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pghistory
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from core import history
from core.models import UserPreference
from organizations.models import ClusterManager
from partnerships.models import Agreement
from partnerships.services import (
    agreement_approve,
    agreement_publish,
    agreement_refresh_terms_version,
    agreement_submit_for_review,
    agreement_withdraw,
)

pytestmark = pytest.mark.django_db

ADMIN_URL_NAME = "admin:partnerships_agreement_change"


def manager(username, *organizations, language=None, active=True):
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org",
        is_staff=True,
        is_active=active,
        first_name=username.title(),
        last_name="Sample",
    )
    for organization in organizations:
        ClusterManager.objects.create(user=user, organization=organization)
    for codename in ("view_agreement", "change_agreement"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    if language:
        UserPreference.objects.create(user=user, language=language)
    return user


@pytest.fixture
def kyoto(organization_factory):
    return organization_factory(name="Kyoto Cluster")


@pytest.fixture
def lyon(organization_factory):
    return organization_factory(name="Lyon Cluster")


@pytest.fixture
def stockholm(organization_factory):
    return organization_factory(name="Stockholm Cluster")


@pytest.fixture
def people(kyoto, lyon, stockholm):
    return {
        "keiko": manager("keiko", kyoto, language="ja"),
        "kenta": manager("kenta", kyoto),
        "jean": manager("jean", lyon, language="de"),
        "ines": manager("ines", lyon, active=False),
        "lars": manager("lars", stockholm),
    }


@pytest.fixture
def agreement(agreement_factory, agreement_party_factory, kyoto, lyon, people):
    agreement = agreement_factory(
        title="Kyoto–Lyon memorandum", publication=Agreement.Publication.DRAFT
    )
    agreement_party_factory(agreement=agreement, organization=kyoto, position=0)
    agreement_party_factory(agreement=agreement, organization=lyon, position=1)
    agreement_refresh_terms_version(agreement=agreement)
    return agreement


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a service as a request would, its commit callbacks (the mails) included; the outbox
    holds only what this step sent."""

    def run(service, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def in_review(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])
    return Agreement.objects.get(pk=agreement.pk)


@pytest.fixture
def published(act, in_review, people, kyoto, lyon):
    act(agreement_approve, agreement=in_review, organization=kyoto, user=people["keiko"])
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])
    act(agreement_publish, agreement=in_review, user=people["keiko"])
    return Agreement.objects.get(pk=in_review.pk)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def mail_to(username):
    [message] = [m for m in mail.outbox if m.to == [f"{username}@example.org"]]
    return message


# --- Who is told -------------------------------------------------------------------------------


def test_a_submission_tells_the_managers_of_the_parties_that_have_not_approved(
    act, agreement, people
):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert recipients() == ["jean@example.org", "kenta@example.org"]


def test_a_submission_mail_names_the_submitter_and_asks_for_approval(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    message = mail_to("kenta")
    assert message.subject == "For your approval: Kyoto–Lyon memorandum"
    assert 'Keiko Sample submitted the agreement "Kyoto–Lyon memorandum" for your approval.' in (
        message.body
    )


def test_a_submission_mail_links_to_the_agreements_admin_page(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    url = "https://portal.example" + reverse(ADMIN_URL_NAME, args=[agreement.pk])
    assert url in mail_to("jean").body


def test_an_approval_tells_the_other_parties_managers(act, in_review, people, lyon):
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    assert recipients() == ["keiko@example.org", "kenta@example.org"]


def test_an_approval_mail_says_who_approved_and_who_is_still_missing(act, in_review, people, lyon):
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    body = mail_to("kenta").body
    assert 'Jean Sample approved the agreement "Kyoto–Lyon memorandum" for Lyon Cluster.' in body
    assert "Approved by: Lyon Cluster (Jean Sample)" in body
    assert "Still to approve: Kyoto Cluster" in body


def test_an_approval_also_tells_who_submitted_the_agreement(act, agreement, people, lyon):
    ada = get_user_model().objects.create_superuser("ada", "ada@example.org")
    with pghistory.context(user=ada.pk, url="/admin/"):
        act(agreement_submit_for_review, agreement=agreement, user=ada)

    act(agreement_approve, agreement=agreement, organization=lyon, user=people["jean"])

    assert recipients() == ["ada@example.org", "keiko@example.org", "kenta@example.org"]
    assert "because you submitted this agreement" in mail_to("ada").body


def test_approving_twice_tells_nobody_the_second_time(act, in_review, people, lyon):
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    assert mail.outbox == []


def test_a_publication_tells_every_partys_managers_but_the_publisher(published, people):
    # The outbox holds the publication's mails only (see `act`).
    assert recipients() == ["jean@example.org", "kenta@example.org"]
    assert mail_to("jean").subject.startswith("Veröffentlicht")


def test_a_withdrawal_tells_every_partys_managers_but_the_one_who_withdrew(act, published, people):
    act(agreement_withdraw, agreement=published, user=people["jean"])

    assert recipients() == ["keiko@example.org", "kenta@example.org"]


def test_a_key_term_change_tells_the_other_parties_managers(act, published, people):
    published.notice_period = 1
    published.save()

    act(agreement_refresh_terms_version, agreement=published, user=people["keiko"])

    assert Agreement.objects.get(pk=published.pk).publication == Agreement.Publication.IN_REVIEW
    assert recipients() == ["jean@example.org"]


def test_a_key_term_change_without_a_known_editor_tells_every_partys_managers(act, published):
    published.notice_period = 1
    published.save()

    act(agreement_refresh_terms_version, agreement=published)

    assert recipients() == ["jean@example.org", "keiko@example.org", "kenta@example.org"]


def test_a_restore_that_changes_key_terms_tells_the_other_parties_managers(act, published, people):
    Agreement.objects.filter(pk=published.pk).update(notice_period=3)  # a version, not reviewed
    for event_model in history.event_models():  # the next write is a later version
        event_model.objects.update(pgh_created_at=F("pgh_created_at") - timedelta(hours=1))
    version = history.versions(Agreement, published.pk)[-1].event
    Agreement.objects.filter(pk=published.pk).update(notice_period=None)

    act(history.history_restore, event=version, user=people["keiko"])

    assert Agreement.objects.get(pk=published.pk).publication == Agreement.Publication.IN_REVIEW
    assert recipients() == ["jean@example.org"]


def test_a_save_without_a_key_term_change_tells_nobody(act, published, people):
    act(agreement_refresh_terms_version, agreement=published, user=people["keiko"])

    assert mail.outbox == []


def test_a_manager_of_two_parties_gets_one_mail(act, agreement, people, kyoto, lyon):
    manager("dora", kyoto, lyon)

    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert recipients().count("dora@example.org") == 1


def test_a_manager_who_chose_never_is_not_told(act, agreement, people, lyon):
    manager("noor", lyon, language="en")
    UserPreference.objects.filter(user__username="noor").update(
        agreement_notices=UserPreference.AgreementNotices.NEVER
    )

    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert recipients() == ["jean@example.org", "kenta@example.org"]


def test_a_refused_step_tells_nobody(act, agreement, people):
    with pytest.raises(ValidationError):
        act(agreement_submit_for_review, agreement=agreement, user=people["lars"])

    assert mail.outbox == []


def test_a_step_of_the_system_tells_nobody(act, agreement):
    act(agreement_submit_for_review, agreement=agreement, user=None)

    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_undo_the_step(act, agreement, people):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("down")
    ):
        act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    assert Agreement.objects.get(pk=agreement.pk).publication == Agreement.Publication.IN_REVIEW


# --- In the recipient's language ---------------------------------------------------------------


def test_each_mail_is_in_its_recipients_language(act, in_review, people, lyon):
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    assert mail_to("keiko").extra_headers["Content-Language"] == "ja"
    assert mail_to("kenta").extra_headers["Content-Language"] == "en"


def test_a_german_recipient_reads_german(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    message = mail_to("jean")
    assert message.subject == "Zur Freigabe: Kyoto–Lyon memorandum"
    assert "Guten Tag Jean Sample," in message.body


def test_a_japanese_recipient_reads_japanese(act, in_review, people, lyon):
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    message = mail_to("keiko")
    assert message.subject == "Lyon Cluster が承認しました: Kyoto–Lyon memorandum"
    assert "承認待ち: Kyoto Cluster" in message.body


def test_the_mail_has_an_html_alternative_with_the_link(act, agreement, people):
    act(agreement_submit_for_review, agreement=agreement, user=people["keiko"])

    [(html, mimetype)] = mail_to("kenta").alternatives
    url = "https://portal.example" + reverse(ADMIN_URL_NAME, args=[agreement.pk])
    assert mimetype == "text/html"
    assert f'href="{url}"' in html


# --- Translators (issue 23) translate; the parties' managers are told -------------------------


def translator(username, *organizations):
    from django.contrib.auth.models import Group

    from core.access import TRANSLATORS_GROUP

    user = manager(username, *organizations)
    user.groups.add(Group.objects.get_or_create(name=TRANSLATORS_GROUP)[0])
    return user


def test_a_translator_of_a_party_is_not_told_of_a_publication(act, in_review, people, kyoto, lyon):
    translator("tomoko", kyoto)
    act(agreement_approve, agreement=in_review, organization=kyoto, user=people["keiko"])
    act(agreement_approve, agreement=in_review, organization=lyon, user=people["jean"])

    act(agreement_publish, agreement=in_review, user=people["keiko"])

    assert recipients() == ["jean@example.org", "kenta@example.org"]


def test_a_translated_title_sent_back_to_review_tells_the_translators_own_managers(
    act, published, people, kyoto
):
    tomoko = translator("tomoko", kyoto)
    published.title_ja = "京都・リヨン覚書"
    published.save()

    act(agreement_refresh_terms_version, agreement=published, user=tomoko)

    assert recipients() == ["jean@example.org", "keiko@example.org", "kenta@example.org"]
