# ruff: noqa: F811 - the fixtures of test_notifications.py, imported by name
"""The thread between an agreement's parties (partnerships/comments.py and its admin page,
partnerships/admin/comments.py): who may read and write, which version a comment belongs to,
who is told by e-mail.

Personas as in test_notifications.py: Keiko (Kyoto, Japanese) and Kenta (Kyoto), Jean (Lyon,
German), Lars (Stockholm, no party).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.comments import comment_add, thread
from partnerships.models import Agreement, AgreementComment
from tests.partnerships.test_notifications import (  # noqa: F401 - fixtures
    act,
    agreement,
    in_review,
    kyoto,
    lyon,
    people,
    published,
    recipients,
    stockholm,
)

pytestmark = pytest.mark.django_db


def thread_url(agreement):
    return reverse("admin:partnerships_agreement_comments", args=[agreement.pk])


def test_a_comment_tells_the_other_partys_managers_only(act, in_review, people):
    act(comment_add, agreement=in_review, user=people["keiko"], body="Is 6 months right?")

    assert recipients() == ["jean@example.org"]


def test_the_comment_mail_carries_the_text_and_links_to_the_thread_in_the_readers_language(
    act, in_review, people
):
    act(comment_add, agreement=in_review, user=people["keiko"], body="Is 6 months right?")

    [message] = mail.outbox
    assert message.subject == "Kommentar von Keiko Sample: Kyoto–Lyon memorandum"
    assert "Is 6 months right?" in message.body
    assert "https://portal.example" + thread_url(in_review) in message.body


def test_a_comment_belongs_to_the_current_version_and_the_authors_party(
    act, in_review, people, kyoto
):
    comment = act(comment_add, agreement=in_review, user=people["keiko"], body="A question")

    assert (comment.terms_version, comment.organization) == (in_review.terms_version, kyoto)


def test_after_a_key_term_change_the_thread_starts_again_and_keeps_the_earlier_one(
    act, in_review, people
):
    act(comment_add, agreement=in_review, user=people["keiko"], body="On the first terms")
    Agreement.objects.filter(pk=in_review.pk).update(notice_period=3)
    in_review.refresh_from_db()
    act(comment_add, agreement=in_review, user=people["jean"], body="On the new terms")

    versions = thread(Agreement.objects.get(pk=in_review.pk))
    assert [(v.current, [c.body for c in v.comments]) for v in versions] == [
        (True, ["On the new terms"]),
        (False, ["On the first terms"]),
    ]


def test_a_manager_of_no_party_may_not_comment_and_nothing_is_written(act, published, people):
    with pytest.raises(ValidationError):
        act(comment_add, agreement=published, user=people["lars"], body="Me too")

    assert not AgreementComment.objects.exists()
    assert mail.outbox == []


def test_an_empty_comment_is_refused(act, in_review, people):
    with pytest.raises(ValidationError):
        act(comment_add, agreement=in_review, user=people["keiko"], body="   ")

    assert not AgreementComment.objects.exists()


# --- The admin page ----------------------------------------------------------------------------


def test_a_partner_reads_and_answers_on_the_thread_page(client, act, in_review, people):
    act(comment_add, agreement=in_review, user=people["keiko"], body="Is 6 months right?")
    client.force_login(people["jean"])

    page = client.get(thread_url(in_review))
    assert "Is 6 months right?" in page.content.decode()
    response = client.post(thread_url(in_review), {"body": "Yes, 6 months."})

    assert response.status_code == 302
    assert AgreementComment.objects.filter(author=people["jean"]).get().body == "Yes, 6 months."


def test_the_thread_of_a_published_agreement_is_closed_to_a_manager_of_no_party(
    client, published, people
):
    client.force_login(people["lars"])

    assert client.get(thread_url(published)).status_code == 403
    assert client.post(thread_url(published), {"body": "Hello"}).status_code == 403
    assert not AgreementComment.objects.exists()


def test_the_agreement_page_links_to_the_thread_for_the_parties(client, in_review, people):
    client.force_login(people["jean"])

    page = client.get(reverse("admin:partnerships_agreement_change", args=[in_review.pk]))

    assert thread_url(in_review) in page.content.decode()


def test_the_thread_page_keeps_its_query_budget(
    client, act, in_review, people, django_assert_max_num_queries
):
    for n in range(5):
        act(comment_add, agreement=in_review, user=people["keiko"], body=f"Question {n}")
    client.force_login(people["jean"])
    client.get(thread_url(in_review))

    # session, user, second-factor device, administrator?, managed organisations, the
    # agreement with its parties and their organisations (3), permissions (user's, groups'),
    # the scope, the comments; the session saved (savepoint, update, release)
    with django_assert_max_num_queries(15):
        response = client.get(thread_url(in_review))
    assert response.status_code == 200
    assert len(response.content) < 40_000
