"""Page views per record and day, counted cheaply and without anything about the visitor
(issue 23: the "Needs translation" queue lists the most viewed records first).

A public detail view marks its response with the record it shows (:func:`mark`); the mark is a
response header, so the page cache (``portal/caching.py``) stores it with the page and a cache
hit carries it too. :class:`PageViewMiddleware`, outside the page cache, removes the mark before
the response leaves and counts a successful ``GET`` of the page that no obvious robot asked for.

No query per request: views are added up in this process (:data:`BUFFER`) and written with one
``INSERT … ON CONFLICT DO UPDATE SET views = views + EXCLUDED.views`` when the oldest unwritten
view is ``PORTAL_PAGE_VIEWS_FLUSH_SECONDS`` old or ``PORTAL_PAGE_VIEWS_FLUSH_VIEWS`` are waiting,
and when the process exits. A crash loses at most those: the counts are an order, not a bill.
Stored: the kind of record, its id, the day and the count (``core.models.PageViews``).
"""

from __future__ import annotations

import atexit
import datetime
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from core.models import PageViews

logger = logging.getLogger(__name__)

HEADER = "X-Portal-Record"
ROBOT = re.compile(r"bot|crawler|spider|slurp", re.IGNORECASE)

Key = tuple[str, int, datetime.date]  # ("app_label.model_name", pk, day)


def mark[R: HttpResponseBase](response: R, obj: models.Model) -> R:
    """Say which record the page shows (counted by :class:`PageViewMiddleware`)."""
    response[HEADER] = f"{obj._meta.label_lower}:{obj.pk}"
    return response


class ViewBuffer:
    """The views counted in this process and not yet written."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[Key] = Counter()
        self.since: float | None = None  # when the oldest unwritten view was counted
        self.total = 0

    def add(self, label: str, pk: int, day: datetime.date) -> None:
        with self.lock:
            if self.since is None:
                self.since = time.monotonic()
            self.counts[(label, pk, day)] += 1
            self.total += 1

    def due(self) -> bool:
        since = self.since
        if since is None:
            return False
        return (
            self.total >= settings.PORTAL_PAGE_VIEWS_FLUSH_VIEWS
            or time.monotonic() - since >= settings.PORTAL_PAGE_VIEWS_FLUSH_SECONDS
        )

    def take(self) -> Counter[Key]:
        with self.lock:
            counts, self.counts, self.since, self.total = self.counts, Counter(), None, 0
        return counts

    def clear(self) -> None:
        self.take()

    def flush(self) -> int:
        """Write the waiting views: one statement, one row per record and day. Returns the
        number of rows written."""
        counts = self.take()
        if not counts:
            return 0
        rows = []
        for (label, pk, day), views in counts.items():
            model = apps.get_model(label)
            rows.append((ContentType.objects.get_for_model(model).pk, pk, day, views))
        rows.sort()  # every process locks rows in the same order: concurrent flushes never deadlock
        table = PageViews._meta.db_table
        values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        sql = (
            f"INSERT INTO {table} (content_type_id, object_id, day, views) VALUES {values} "  # noqa: S608 - the table name is ours; values are parameters
            "ON CONFLICT ON CONSTRAINT core_pageviews_one_row_per_record_and_day "
            f"DO UPDATE SET views = {table}.views + EXCLUDED.views"
        )
        with connections[router.db_for_write(PageViews)].cursor() as cursor:
            cursor.execute(sql, [value for row in rows for value in row])
        return len(rows)


BUFFER = ViewBuffer()


def _flush_at_exit() -> None:
    if not getattr(settings, "PORTAL_PAGE_VIEWS_FLUSH_AT_EXIT", True):
        return
    try:
        BUFFER.flush()
    except Exception:  # the process is ending: losing a minute of counts is acceptable
        logger.warning("page views not written at exit", exc_info=True)


atexit.register(_flush_at_exit)


def counts(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A view of a record's page: a successful GET that no obvious robot asked for."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not ROBOT.search(request.headers.get("user-agent", ""))
    )


class PageViewMiddleware:
    """Placed before (outside) the page cache: counts marked pages, cached or not, and removes
    the mark."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        record = response.get(HEADER)
        if record is None:
            return response
        del response[HEADER]
        if not counts(request, response):
            return response
        label, _, pk = record.rpartition(":")
        BUFFER.add(label, int(pk), timezone.localdate())
        if BUFFER.due():
            try:
                BUFFER.flush()
            except Exception:  # counting must never break a page
                logger.warning("page views not written", exc_info=True)
        return response


def recent_views(model: type[models.Model]) -> Coalesce:
    """An annotation: the record's views in the last ``PORTAL_PAGE_VIEWS_QUEUE_DAYS`` days (0
    when never viewed). One index range per row (the unique constraint's index)."""
    since = timezone.localdate() - datetime.timedelta(days=settings.PORTAL_PAGE_VIEWS_QUEUE_DAYS)
    views = (
        PageViews.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            day__gte=since,
        )
        .order_by()
        .values("object_id")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return Coalesce(Subquery(views), 0)
