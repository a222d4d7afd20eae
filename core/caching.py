"""The *content generation*, and the caches keyed on it.

The content generation is a value that changes whenever a committed write changes public data.
Public pages are cached and carry ETags keyed on it (``portal/caching.py``), and so are the
summaries of whole tables (:func:`cached_summary`), so a change made anywhere — the admin, a
service, ``generate_fake_data``'s bulk inserts, a ``psql`` session — is visible on the next
request, without the code that writes having to remember anything.

How: every table whose history is tracked (``core.history.track``, i.e. every table of public
data, the many-to-many tables included) has a ``DEFERRABLE INITIALLY DEFERRED`` constraint
trigger that runs :data:`FUNCTION` when its transaction commits. The function writes a fresh
random UUID into the single ``organizations_contentgeneration`` row (``core.models.
ContentGeneration``; the table kept the name of the app it came from), once per transaction (a
transaction-local setting remembers it did).

Why these choices:

- **At commit, inside the transaction**: readers see the new value exactly when they can see
  the new data (never before, so no page with old data is stored under the new value), and the
  row lock is taken last, so two writers cannot deadlock on it (each holds it only while it
  commits).
- **A random value, not a counter**: a rolled-back transaction, a restored backup or a test
  database that is flushed never brings an old value back, so a page cached for another state of
  the data can never be served again.
- **Triggers installed after every ``migrate``** (:func:`install_generation_triggers`, a
  ``post_migrate`` handler connected by ``CoreConfig``): a table added later, by any app, is
  covered without anyone remembering to add it; the test suite checks that every tracked table
  has one.

**Cache keys** come from one registry: every family of keys the portal stores in a cache is a
:class:`KeyFamily`, and :func:`cache_key` makes the keys of a family. The content generation is
never written into a key: it is the cache *version* (Django's ``version=`` argument,
:func:`cache_version`), so an entry stored under an old generation is simply never read again (the
cache evicts it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from enum import StrEnum

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.utils import timezone

from core.history import tracked_models
from core.models import ContentGeneration

TABLE = ContentGeneration._meta.db_table
# Its SQL name is the one it was installed under when it was the organizations app's: every
# trigger calls it by that name, and install_generation_triggers replaces it in place.
FUNCTION = "organizations_bump_content_generation"
TRIGGER = "content_generation"
# The transaction-local setting that says "bumped already in this transaction".
_BUMPED_SETTING = "portal.content_generation_bumped"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{_BUMPED_SETTING}', true), '') <> 'on' THEN
        INSERT INTO {TABLE} (id, value) VALUES (1, gen_random_uuid())
            ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
        PERFORM set_config('{_BUMPED_SETTING}', 'on', true);
    END IF;
    RETURN NULL;
END;
$$;
"""  # noqa: S608 - constant names only


def trigger_sql(table: str) -> str:
    quoted = connections["default"].ops.quote_name(table)
    return (
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted};"
        f" CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {quoted}"
        f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
    )


def watched_tables() -> list[str]:
    """The tables whose changes change the generation: every tracked model's (not the events')."""
    return sorted({model._meta.db_table for model in tracked_models()})


def install_generation_triggers(using: str = "default", **kwargs: object) -> None:
    """(Re)install the function and one trigger per watched table; idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.settings_dict.get("TEST", {}).get("MIRROR"):
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in watched_tables():
            if table in tables:
                cursor.execute(trigger_sql(table))


def current_generation() -> str:
    """The generation as the database that serves this request's reads sees it.

    Read from the same database as the page's data (a replica for public pages, see
    ``portal/db_router.py``), so a page is never stored under a value newer than its data.
    One primary-key lookup; "0" before the first write.
    """
    alias = router.db_for_read(ContentGeneration)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 - constant name
        row = cursor.fetchone()
    return str(row[0]) if row else "0"


def bump_generation(using: str = "default") -> str:
    """A new generation now (management commands, tests); writes normally do this themselves."""
    value = uuid.uuid4()
    ContentGeneration.objects.using(using).update_or_create(pk=1, defaults={"value": value})
    return str(value)


# --- Cache keys --------------------------------------------------------------------------------


class KeyFamily(StrEnum):
    """Every family of keys the portal stores in its caches (``settings.CACHES``), named once."""

    PAGE = "page"  # a public page for anonymous visitors (portal/caching.py); version: generation
    SUMMARY = "summary"  # a figure read from a whole table (cached_summary); version: generation
    READINESS = "readyz"  # the readiness probe's round trip through the cache (portal/health.py)


def cache_key(family: KeyFamily, *parts: str) -> str:
    """The key of ``parts`` in ``family``: ``"summary:home-figures:2026-12-05"``."""
    return ":".join((family.value, *parts))


def cache_version(generation: str) -> int:
    """A content generation as the cache's ``version=`` (Django's versions are integers): its
    UUID's 128 bits; 0 before the first write."""
    return uuid.UUID(generation).int if generation != "0" else 0


SUMMARY_SECONDS = 24 * 60 * 60


def cached_summary[T](name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the shared cache until public data or the date changes.

    For figures that read a whole table (the home page's counts, the organisations per country
    on the regions index): computed once per content generation and day, whoever asks — a
    signed-in editor too, whose pages the page cache never serves — then one cache lookup.
    Never stale: any committed change to public data changes the generation, so the old entry
    is never read again.
    """
    if not getattr(settings, "PORTAL_SUMMARY_CACHE", True):
        return compute()
    key = cache_key(KeyFamily.SUMMARY, name, timezone.localdate().isoformat())
    version = cache_version(current_generation())
    cache = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
    value = cache.get(key, version=version)
    if value is None:
        value = compute()
        cache.set(key, value, SUMMARY_SECONDS, version=version)
    return value
