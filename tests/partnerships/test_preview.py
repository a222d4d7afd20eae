# ruff: noqa: F811 - the fixtures of test_notifications.py, imported by name
"""The public page of an agreement that is not public yet, previewed by those who may view it
(partnerships.views.agreement_detail, "View on site" in the admin), and times in each staff
member's own time zone (core/timezones.py).

Personas as in test_notifications.py: Keiko (Kyoto) and Jean (Lyon) manage the parties of a
draft memorandum; Lars (Stockholm) manages no party.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import UserPreference
from partnerships.models import AgreementComment
from tests.partnerships.test_notifications import (  # noqa: F401 - fixtures
    agreement,
    kyoto,
    lyon,
    people,
    stockholm,
)

pytestmark = pytest.mark.django_db


def test_a_partys_manager_previews_the_public_page_of_a_draft(client, agreement, people):
    client.force_login(people["jean"])

    response = client.get(agreement.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: this agreement is not public yet." in html
    assert "Kyoto–Lyon memorandum" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "lars"])
def test_nobody_else_sees_a_draft(client, agreement, people, who):
    if who != "anonymous":
        client.force_login(people[who])

    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_view_on_site_in_the_admin_leads_to_the_preview(client, agreement, people):
    client.force_login(people["keiko"])
    content_type = ContentType.objects.get_for_model(agreement)

    response = client.get(
        reverse("admin:view_on_site", args=[content_type.pk, agreement.pk]), follow=True
    )

    assert response.status_code == 200
    assert "Preview: this agreement is not public yet." in response.content.decode()


def test_a_published_agreement_is_no_preview(client, agreement_factory, people):
    published = agreement_factory()
    client.force_login(people["jean"])

    assert "Preview:" not in client.get(published.get_absolute_url()).content.decode()


# --- Time zones -----------------------------------------------------------------------------


@pytest.fixture
def comment(agreement, people, kyoto):
    return AgreementComment.objects.create(
        agreement=agreement,
        terms_version=agreement.terms_version,
        author=people["keiko"],
        organization=kyoto,
        body="A question",
        created_at=datetime.datetime(2026, 1, 10, 0, 30, tzinfo=datetime.UTC),
    )


def thread(client, agreement) -> str:
    url = reverse("admin:partnerships_agreement_comments", args=[agreement.pk])
    return client.get(url).content.decode()


def test_times_are_shown_in_the_viewers_time_zone(client, agreement, people, comment):
    UserPreference.objects.filter(user=people["keiko"]).update(time_zone="Asia/Tokyo")
    client.force_login(people["keiko"])

    assert 'datetime="2026-01-10T09:30:00+09:00"' in thread(client, agreement)


def test_without_a_time_zone_the_portals_own_is_used(client, agreement, people, comment):
    client.force_login(people["jean"])

    assert 'datetime="2026-01-10T01:30:00+01:00"' in thread(client, agreement)


def test_a_time_zone_chosen_on_my_emails_applies_at_once(client, agreement, people, comment):
    client.force_login(people["jean"])
    client.post(
        reverse("admin:my_emails"),
        {"language": "de", "agreement_notices": "immediately", "time_zone": "America/New_York"},
    )

    assert 'datetime="2026-01-09T19:30:00-05:00"' in thread(client, agreement)


def test_an_unknown_time_zone_is_refused(client, people):
    client.force_login(people["jean"])

    response = client.post(
        reverse("admin:my_emails"),
        {"language": "de", "agreement_notices": "immediately", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    assert not UserPreference.objects.filter(user=people["jean"], time_zone="Mars/Olympus").exists()
