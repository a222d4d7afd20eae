"""The content generation (core/caching.py): changed by every committed write to public data, by
triggers on every tracked table; and the summaries cached under it.

The content generation changes when a writing transaction *commits* (deferred triggers), so the
tests that write use ``transaction=True``: inside a test's rolled-back transaction nothing ever
commits. The page cache keyed on it is tested with the pages, in tests/portal/test_caching.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.timezone import localdate

from core import caching
from organizations.models import Region

transactional = pytest.mark.django_db(transaction=True)


# --- The content generation --------------------------------------------------------------------


def test_every_tracked_table_has_the_generation_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = %s",
            [caching.TRIGGER],
        )
        tables = {row[0] for row in cursor.fetchall()}

    assert set(caching.watched_tables()) <= tables
    assert {"organizations_organization", "partnerships_agreement"} <= tables
    # the many-to-many tables too
    assert "partnerships_agreement_focus_areas" in tables


@transactional
def test_a_committed_write_changes_the_generation(region_factory):
    before = caching.current_generation()

    region_factory(name="Testland")

    assert caching.current_generation() != before


@transactional
def test_a_rolled_back_write_leaves_the_generation(region_factory):
    before = caching.current_generation()

    with pytest.raises(RuntimeError), transaction.atomic():
        region_factory(name="Testland")
        raise RuntimeError

    assert caching.current_generation() == before


@transactional
def test_a_bulk_write_changes_the_generation_once(region_factory):
    before = caching.current_generation()

    Region.objects.bulk_create(
        [Region(name=f"Bulkland {n}", slug=f"bulkland-{n}", kind="country") for n in range(50)]
    )
    after = caching.current_generation()
    Region.objects.filter(slug__startswith="bulkland-").update(aliases="x")

    assert before != after != caching.current_generation()


# --- Cached summaries ----------------------------------------------------------------------------


def test_a_summary_is_computed_once_per_content_generation(db, settings):
    settings.PORTAL_SUMMARY_CACHE = True
    cache.clear()
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert caching.cached_summary("figures", compute) == 1
    assert caching.cached_summary("figures", compute) == 1
    caching.bump_generation()  # what a committed write does
    assert caching.cached_summary("figures", compute) == 2
    assert len(calls) == 2


def test_a_summary_is_computed_each_time_when_switched_off(db, settings):
    settings.PORTAL_SUMMARY_CACHE = False
    calls = []

    caching.cached_summary("figures", lambda: calls.append(1))
    caching.cached_summary("figures", lambda: calls.append(1))

    assert len(calls) == 2


def test_a_summary_is_stored_under_its_family_key_with_the_generation_as_version(db, settings):
    settings.PORTAL_SUMMARY_CACHE = True
    cache.clear()
    generation = caching.bump_generation()

    caching.cached_summary("figures", lambda: 42)

    key = caching.cache_key(caching.KeyFamily.SUMMARY, "figures", localdate().isoformat())
    assert key == f"summary:figures:{localdate().isoformat()}"
    assert cache.get(key, version=caching.cache_version(generation)) == 42
    assert cache.get(key) is None  # never under the cache's own version
    assert cache.get(key, version=caching.cache_version(caching.bump_generation())) is None


# --- What a page read (issue 24) ------------------------------------------------------------------


def test_a_page_records_the_tables_a_cached_summary_read_even_on_a_hit(db, settings):
    settings.PORTAL_SUMMARY_CACHE = True
    cache.clear()

    def count_regions() -> int:
        return Region.objects.count()

    with caching.recording_tables() as first:
        caching.cached_summary("regions", count_regions)
    with caching.recording_tables() as second:  # from the cache: no query of regions
        caching.cached_summary("regions", count_regions)

    assert caching.table_tag("organizations_region") in first
    assert caching.table_tag("organizations_region") in second


def test_a_reading_scope_records_its_tags_instead_of_its_tables(db):
    from partnerships.models import Agreement

    with caching.recording_tables() as scoped:
        with caching.reading_scope(caching.AGREEMENT_TABLES) as scope:
            list(Agreement.objects.all())
            scope.add("agreement:1")
        list(Region.objects.all())
    with caching.recording_tables() as without_tag, caching.reading_scope(caching.AGREEMENT_TABLES):
        list(Agreement.objects.all())  # a 404: no record to name

    assert scoped == {"agreement:1", caching.table_tag("organizations_region")}
    assert without_tag == {caching.table_tag("partnerships_agreement")}
