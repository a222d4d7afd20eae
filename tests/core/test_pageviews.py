"""Page views per record and day (core/pageviews.py, issue 23): counted in the process, cache
hits too, robots and HEAD requests and errors not; written in one statement per flush."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.caching import current_generation
from core.models import PageViews
from core.pageviews import BUFFER, HEADER

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def buffer():
    BUFFER.clear()
    yield BUFFER
    BUFFER.clear()


def event_url(event) -> str:
    return event.get_absolute_url()


def waiting() -> dict:
    return dict(BUFFER.counts)


def test_a_view_of_an_event_page_counts_once(client, event_factory):
    event = event_factory()

    response = client.get(event_url(event))

    assert response.status_code == 200
    assert waiting() == {("partnerships.event", event.pk, timezone.localdate()): 1}


def test_the_mark_does_not_leave_the_portal(client, event_factory):
    response = client.get(event_url(event_factory()))

    assert HEADER not in response


@transactional
def test_a_page_served_from_the_cache_counts_too(client, settings, event_factory):
    settings.PORTAL_PAGE_CACHE = True
    cache.clear()
    event = event_factory()
    client.get(event_url(event))

    second = client.get(event_url(event))

    cache.clear()
    assert second["X-Cache"] == "hit"
    assert waiting() == {("partnerships.event", event.pk, timezone.localdate()): 2}


def test_a_robot_does_not_count(client, event_factory):
    client.get(event_url(event_factory()), headers={"user-agent": "Mozilla/5.0 (Googlebot/2.1)"})

    assert waiting() == {}


def test_a_head_request_does_not_count(client, event_factory):
    client.head(event_url(event_factory()))

    assert waiting() == {}


def test_a_missing_page_does_not_count(client, db):
    response = client.get(reverse("partnerships:event_detail", args=["no-such-event"]))

    assert response.status_code == 404
    assert waiting() == {}


def test_a_counted_view_makes_no_query_of_its_own(client, event_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = event_factory()
    with CaptureQueriesContext(connection) as counted:
        client.get(event_url(event))

    assert waiting()
    assert not [q for q in counted.captured_queries if "core_pageviews" in q["sql"]]


def test_the_flush_writes_one_row_per_record_and_day(event_factory, django_assert_num_queries):
    first, second = event_factory.create_batch(2)
    today = timezone.localdate()
    for _ in range(3):
        BUFFER.add("partnerships.event", first.pk, today)
    BUFFER.add("partnerships.event", second.pk, today)
    BUFFER.add("partnerships.event", second.pk, today - datetime.timedelta(days=1))
    ContentType.objects.get_for_model(first)  # cached once per process

    with django_assert_num_queries(1):
        BUFFER.flush()

    rows = set(PageViews.objects.values_list("object_id", "day", "views"))
    assert rows == {
        (first.pk, today, 3),
        (second.pk, today, 1),
        (second.pk, today - datetime.timedelta(days=1), 1),
    }


def test_a_flush_adds_to_the_days_count(event_factory):
    event = event_factory()
    today = timezone.localdate()
    BUFFER.add("partnerships.event", event.pk, today)
    BUFFER.flush()
    BUFFER.add("partnerships.event", event.pk, today)
    BUFFER.add("partnerships.event", event.pk, today)

    BUFFER.flush()

    assert PageViews.objects.get(object_id=event.pk).views == 3


def test_the_buffer_is_written_once_enough_views_wait(client, settings, event_factory):
    settings.PORTAL_PAGE_VIEWS_FLUSH_VIEWS = 2
    event = event_factory()

    client.get(event_url(event))
    client.get(event_url(event))

    assert PageViews.objects.get(object_id=event.pk).views == 2
    assert waiting() == {}


def test_a_view_of_an_organisation_page_counts(client, organization_factory):
    organization = organization_factory()

    client.get(reverse("partnerships:organization_detail", args=[organization.slug]))

    assert waiting() == {("organizations.organization", organization.pk, timezone.localdate()): 1}


def test_a_view_of_a_published_agreement_page_counts(client, agreement_factory):
    agreement = agreement_factory()

    response = client.get(agreement.get_absolute_url())

    assert response.status_code == 200
    assert waiting() == {("partnerships.agreement", agreement.pk, timezone.localdate()): 1}


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_cached_pages_alone(event_factory):
    """Counting is not a change of content: a flush (every minute) must not empty the page cache."""
    event = event_factory()
    before = current_generation()
    BUFFER.add("partnerships.event", event.pk, timezone.localdate())

    BUFFER.flush()

    assert PageViews.objects.get(object_id=event.pk).views == 1
    assert current_generation() == before
