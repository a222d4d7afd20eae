"""The *content generation*, the generations of each table and record, and the caches keyed on
them.

The content generation is a value that changes whenever a committed write changes public data;
each table of public data has a generation of its own that changes whenever a committed write
changes that table, and an agreement's records bump the tags of what shows them (the agreement,
its parties' and their regions' lists of agreements: :data:`SCOPED_TAGS_SQL`). The summaries of
whole tables are kept under the content generation (:func:`cached_summary`); public pages are
cached and carry ETags keyed on the generations of what they read (:func:`recording_tables`,
:func:`reading_scope`, ``portal/caching.py``; issue 24). So a change made anywhere — the admin, a
service, ``generate_fake_data``'s bulk inserts, a ``psql`` session — is visible on the next
request, without the code that writes having to remember anything, and a page that read nothing
it changed stays cached.

How: every table whose history is tracked (``core.history.track``, i.e. every table of public
data, the many-to-many tables included) has a ``DEFERRABLE INITIALLY DEFERRED`` constraint
trigger that runs :data:`FUNCTION` when its transaction commits. The function writes a fresh
random UUID into the single ``organizations_contentgeneration`` row (``core.models.
ContentGeneration``; the table kept the name of the app it came from), once per transaction (a
transaction-local setting remembers it did), then into the table's own row of
:data:`TAGS_TABLE`, once per transaction and table.

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

import contextlib
import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

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

# Each watched table's own generation (issue 24): one row per table, ``table:<name>``, made a
# fresh random UUID once per transaction that writes the table. Pages and summaries are stored
# under the generations of the tables they read (:func:`recording_tables`), so a write leaves
# the pages that read none of its tables cached. Made with the triggers (no model, no migration:
# it belongs to them), and locked only after the global row above, which every writing
# transaction locks first and holds until it commits: two writers take the tag rows one after
# the other, never in opposite orders, so they cannot deadlock on them.
TAGS_TABLE = "core_contenttag"
TAGS_TABLE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TAGS_TABLE} (name varchar(200) PRIMARY KEY, value uuid NOT NULL)"
)
TABLE_TAG_PREFIX = "table:"
_TAG_BUMPED_PREFIX = "portal.table_generation_bumped_"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{_BUMPED_SETTING}', true), '') <> 'on' THEN
        INSERT INTO {TABLE} (id, value) VALUES (1, gen_random_uuid())
            ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
        PERFORM set_config('{_BUMPED_SETTING}', 'on', true);
    END IF;
    IF coalesce(current_setting('{_TAG_BUMPED_PREFIX}' || TG_TABLE_NAME, true), '') <> 'on' THEN
        INSERT INTO {TAGS_TABLE} (name, value)
            VALUES ('{TABLE_TAG_PREFIX}' || TG_TABLE_NAME, gen_random_uuid())
            ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
        PERFORM set_config('{_TAG_BUMPED_PREFIX}' || TG_TABLE_NAME, 'on', true);
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
        cursor.execute(TAGS_TABLE_SQL)
        cursor.execute(FUNCTION_SQL)
        for table in watched_tables():
            if table in tables:
                cursor.execute(trigger_sql(table))
        cursor.execute(SCOPED_TAGS_SQL)
        for table, column in AGREEMENT_ID_COLUMN.items():
            if table in tables:
                cursor.execute(scoped_trigger_sql(table, column))


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
    """A new generation now, of the content and of every table (management commands, tests);
    writes normally do this themselves."""
    value = uuid.uuid4()
    ContentGeneration.objects.using(using).update_or_create(pk=1, defaults={"value": value})
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TAGS_TABLE} SET value = gen_random_uuid()")  # noqa: S608
    return str(value)


# --- Per-table and per-record generations: what a page read ------------------------------------


def read_tags(names: Iterable[str]) -> dict[str, str]:
    """The generations of the tags ``names`` (``table:<table>``, or a record's tag such as
    ``agreement:<id>``, see :data:`SCOPED_TAGS_SQL`) and the content generation (under
    ``GENERATION``), in one query, as the database that serves this request's reads sees them
    (see :func:`current_generation`). A tag never bumped since the triggers were installed is
    missing: its generation is "0"."""
    alias = router.db_for_read(ContentGeneration)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM {TAGS_TABLE} WHERE name = ANY(%s)"  # noqa: S608
            f" UNION ALL SELECT %s, value FROM {TABLE} WHERE id = 1",
            [sorted(set(names)), GENERATION],
        )
        rows = cursor.fetchall()
    return {name: str(value) for name, value in rows}


GENERATION = "generation"


def tags_version(names: Iterable[str], tags: dict[str, str]) -> str:
    """The state of the tags ``names`` in ``tags`` as one value (a cache version, part of an
    ETag): changes when any of their generations does, and only then."""
    state = "\n".join(f"{name}={tags.get(name, '0')}" for name in sorted(set(names)))
    return hashlib.sha256(state.encode()).hexdigest()


@functools.cache
def _watched_set() -> frozenset[str]:
    return frozenset(watched_tables())


@functools.cache
def _watched_list() -> tuple[str, ...]:
    return tuple(watched_tables())


def table_tag(table: str) -> str:
    return TABLE_TAG_PREFIX + table


def tables_mask(names: Iterable[str]) -> str | None:
    """The table tags ``names`` as a short hexadecimal bit mask over the watched tables (for an
    ETag: a conditional request names the tables its page read without the cache being
    asked); None if they include a record's tag, which no mask can name."""
    chosen = set(names)
    tables = [table for table in _watched_list() if table_tag(table) in chosen]
    if len(tables) != len(chosen):
        return None
    bits = sum(1 << i for i, table in enumerate(_watched_list()) if table in tables)
    return f"{bits:x}"


def tags_from_mask(mask: str) -> list[str] | None:
    """The table tags of a :func:`tables_mask`; None for anything else."""
    try:
        bits = int(mask, 16)
    except ValueError:
        return None
    return [table_tag(table) for i, table in enumerate(_watched_list()) if bits >> i & 1]


# A table named after FROM or JOIN in a statement (quoted as Django writes it, or bare in raw SQL).
_TABLE_RE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_recorders: ContextVar[tuple[set[str], ...]] = ContextVar("portal_table_recorders", default=())


class _Scope:
    def __init__(self, tables: frozenset[str]) -> None:
        self.tables = tables
        self.tags: set[str] = set()
        self.read: set[str] = set()


_scope: ContextVar[_Scope | None] = ContextVar("portal_reading_scope", default=None)


def _record(execute: Callable, sql: str, params: object, many: bool, context: dict) -> object:
    recorders = _recorders.get()
    if recorders:
        scope = _scope.get()
        watched = _watched_set()
        for table in set(_TABLE_RE.findall(sql)) & watched:
            if scope is not None and table in scope.tables:
                scope.read.add(table)
                continue
            for tags in recorders:
                tags.add(table_tag(table))
    return execute(sql, params, many, context)


@contextlib.contextmanager
def recording_tables() -> Iterator[set[str]]:
    """The tags of what every statement run inside the block reads, on any database: the tag of
    each watched table it names (``table:<name>``), or the records' tags that a
    :func:`reading_scope` says cover them; plus those of the cached summaries used inside
    (:func:`note_tags`). What a page showed comes from there: its stored copy is valid while
    those tags' generations hold. Blocks nest (a summary computed for a page records for both).
    """
    tags: set[str] = set()
    outer = _recorders.get()
    token = _recorders.set((*outer, tags))
    try:
        with contextlib.ExitStack() as stack:
            if not outer:  # one wrapper per connection, however deep the nesting
                for connection in connections.all(initialized_only=True):
                    stack.enter_context(connection.execute_wrapper(_record))
                stack.enter_context(_wrap_new_connections())
            yield tags
    finally:
        _recorders.reset(token)


@contextlib.contextmanager
def _wrap_new_connections() -> Iterator[None]:
    """Connections opened inside the block (a replica's, first used by this request) are
    recorded too."""
    from django.db.backends.signals import connection_created

    wrapped: list[Any] = []

    def wrap(sender: object, connection: Any, **kwargs: object) -> None:
        if _record not in connection.execute_wrappers:
            connection.execute_wrappers.append(_record)
            wrapped.append(connection)

    connection_created.connect(wrap, weak=False, dispatch_uid="portal-recording-tables")
    try:
        yield
    finally:
        connection_created.disconnect(dispatch_uid="portal-recording-tables")
        for connection in wrapped:
            if _record in connection.execute_wrappers:
                connection.execute_wrappers.remove(_record)


@contextlib.contextmanager
def reading_scope(tables: Iterable[str]) -> Iterator[set[str]]:
    """Inside the block, what is read of ``tables`` is covered by the records' tags the block
    adds to the set it yields (``scope.add("agreement:12")``), instead of by those tables' own
    tags: a write to another record of those tables leaves the page cached.

    The caller promises that every statement of the block reads from ``tables`` only rows whose
    every change bumps one of its tags (:data:`SCOPED_TAGS_SQL` says which writes bump which
    tags). A block that adds no tag (a 404) falls back to the tables' own tags. Summaries
    computed inside are not scoped (:func:`cached_summary` records their tables) unless they
    say they are the scope's own (``in_scope``)."""
    scope = _Scope(frozenset(tables))
    token = _scope.set(scope)
    try:
        yield scope.tags
    finally:
        _scope.reset(token)
        covered = scope.tags or {table_tag(table) for table in scope.read}
        if scope.read:
            note_tags(covered)


def note_tags(names: Iterable[str]) -> None:
    """Count the tags ``names`` as read by every :func:`recording_tables` block around (data
    taken from a cache instead of the database: a cached summary)."""
    for recorded in _recorders.get():
        recorded.update(names)


# Which records' tags a write bumps, beyond its table's (issue 24): an agreement's, when it or
# anything recorded under it (parties, signings and their signatures and attendees, statements,
# contacts, documents, cooperation areas, focus areas) changes — and with it every agreement of
# its lineage (they name each other), every party organisation's list of agreements, and the
# list of agreements of every region its parties are in or below. The agreement, organisation
# and region pages read their agreements through these tags (reading_scope); every other page
# reads the tables' own tags.
AGREEMENT_TAG = "agreement:"
ORGANIZATION_AGREEMENTS_TAG = "organization-agreements:"
REGION_AGREEMENTS_TAG = "region-agreements:"  # the region's or any region below it
AGREEMENT_ID_COLUMN = {
    "partnerships_agreement": "id",
    "partnerships_agreementparty": "agreement_id",
    "partnerships_agreement_focus_areas": "agreement_id",
    "partnerships_agreementcontact": "agreement_id",
    "partnerships_cooperationarea": "agreement_id",
    "partnerships_document": "agreement_id",
    "partnerships_signingevent": "agreement_id",
    "partnerships_statement": "agreement_id",
    "partnerships_signature": "signing_event_id",  # through its signing
    "partnerships_attendance": "signing_event_id",
}
AGREEMENT_TABLES = frozenset(AGREEMENT_ID_COLUMN)
SCOPED_FUNCTION = "portal_bump_agreement_tags"
SCOPED_TRIGGER = "content_tags"  # after "content_generation": fires second, as it sorts second

SCOPED_TAGS_SQL = f"""
CREATE OR REPLACE FUNCTION {SCOPED_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := ARRAY[]::bigint[];
    orgs bigint[] := ARRAY[]::bigint[];
    regions bigint[] := ARRAY[]::bigint[];
    row_data jsonb;
    value bigint;
BEGIN
    FOREACH row_data IN ARRAY ARRAY[to_jsonb(OLD), to_jsonb(NEW)] LOOP
        CONTINUE WHEN row_data IS NULL;
        value := (row_data ->> TG_ARGV[0])::bigint;
        CONTINUE WHEN value IS NULL;
        IF TG_ARGV[0] = 'signing_event_id' THEN
            SELECT agreement_id INTO value FROM partnerships_signingevent WHERE id = value;
            CONTINUE WHEN value IS NULL;
        END IF;
        ids := ids || value;
        IF TG_TABLE_NAME = 'partnerships_agreement' AND row_data ->> 'previous_id' IS NOT NULL THEN
            ids := ids || (row_data ->> 'previous_id')::bigint;
        END IF;
        IF TG_TABLE_NAME = 'partnerships_agreementparty' THEN
            orgs := orgs || (row_data ->> 'organization_id')::bigint;
        END IF;
    END LOOP;
    -- The whole lineage of each (earlier and later agreements name each other).
    -- Step by step through the indexes (primary key, previous_id): a bulk insert runs this
    -- once per row.
    WITH RECURSIVE lineage(id) AS (
        SELECT unnest(ids)
        UNION
        SELECT step.other_id FROM lineage, LATERAL (
            SELECT previous_id FROM partnerships_agreement
                WHERE id = lineage.id AND previous_id IS NOT NULL
            UNION ALL
            SELECT id FROM partnerships_agreement WHERE previous_id = lineage.id
        ) step(other_id)
    )
    SELECT coalesce(array_agg(id), ARRAY[]::bigint[]) INTO ids FROM lineage;
    SELECT orgs || coalesce(array_agg(DISTINCT organization_id), ARRAY[]::bigint[]) INTO orgs
        FROM partnerships_agreementparty WHERE agreement_id = ANY(ids);
    -- The parties' regions and every region above them (parents, the macro-regions that
    -- include them): their pages list the agreements of the organisations below them.
    WITH RECURSIVE upward(id) AS (
        SELECT region_id FROM organizations_organization
            WHERE id = ANY(orgs) AND region_id IS NOT NULL
        UNION
        SELECT step.up_id FROM upward, LATERAL (
            SELECT parent_id FROM organizations_region
                WHERE id = upward.id AND parent_id IS NOT NULL
            UNION ALL
            SELECT from_region_id FROM organizations_region_members
                WHERE to_region_id = upward.id
        ) step(up_id)
    )
    SELECT coalesce(array_agg(id), ARRAY[]::bigint[]) INTO regions FROM upward;
    INSERT INTO {TAGS_TABLE} (name, value)
        SELECT tag, gen_random_uuid() FROM (
            SELECT '{AGREEMENT_TAG}' || unnest(ids) AS tag
            UNION SELECT '{ORGANIZATION_AGREEMENTS_TAG}' || unnest(orgs)
            UNION SELECT '{REGION_AGREEMENTS_TAG}' || unnest(regions)
        ) tags ORDER BY tag
        ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END;
$$;
"""  # noqa: S608 - constant names only


def scoped_trigger_sql(table: str, column: str) -> str:
    quoted = connections["default"].ops.quote_name(table)
    return (
        f"DROP TRIGGER IF EXISTS {SCOPED_TRIGGER} ON {quoted};"
        f" CREATE CONSTRAINT TRIGGER {SCOPED_TRIGGER} AFTER INSERT OR UPDATE OR DELETE"
        f" ON {quoted} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        f" EXECUTE FUNCTION {SCOPED_FUNCTION}('{column}');"
    )


# --- Cache keys --------------------------------------------------------------------------------


class KeyFamily(StrEnum):
    """Every family of keys the portal stores in its caches (``settings.CACHES``), named once."""

    # A public page for anonymous visitors (portal/caching.py), with the tags it read and their
    # version (tags_version); no cache version: replaced when the page renders again.
    PAGE = "page"
    SUMMARY = "summary"  # a figure read from a whole table (cached_summary); version: generation
    SUMMARY_TABLES = "summary-tables"  # which tables the summary read; version: generation
    READINESS = "readyz"  # the readiness probe's round trip through the cache (portal/health.py)


def cache_key(family: KeyFamily, *parts: str) -> str:
    """The key of ``parts`` in ``family``: ``"summary:home-figures:2026-12-05"``."""
    return ":".join((family.value, *parts))


def cache_version(generation: str) -> int:
    """A content generation as the cache's ``version=`` (Django's versions are integers): its
    UUID's 128 bits; 0 before the first write."""
    return uuid.UUID(generation).int if generation != "0" else 0


SUMMARY_SECONDS = 24 * 60 * 60


def cached_summary[T](name: str, compute: Callable[[], T], *, in_scope: bool = False) -> T:
    """``compute()``, kept in the shared cache until public data or the date changes.

    For figures that read a whole table (the home page's counts, the organisations per country
    on the regions index): computed once per content generation and day, whoever asks — a
    signed-in editor too, whose pages the page cache never serves — then one cache lookup.
    Never stale: any committed change to public data changes the generation, so the old entry
    is never read again.
    """
    # A summary reads whole tables: never a page's scope, unless it is the scope's own (a
    # summary of one region's agreements read in that region's scope: ``in_scope``), whose tags
    # it then records as its own.
    page_scope = _scope.get() if in_scope else None
    if not getattr(settings, "PORTAL_SUMMARY_CACHE", True):
        token = _scope.set(page_scope)
        try:
            return compute()
        finally:
            _scope.reset(token)
    day = timezone.localdate().isoformat()
    key = cache_key(KeyFamily.SUMMARY, name, day)
    tables_key = cache_key(KeyFamily.SUMMARY_TABLES, name, day)
    version = cache_version(current_generation())
    cache = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
    found = cache.get_many([key, tables_key], version=version)
    value = found.get(key)
    if value is None or tables_key not in found:
        token = _scope.set(page_scope)
        try:
            with recording_tables() as tags:
                value = compute()
        finally:
            _scope.reset(token)
        if page_scope is not None and page_scope.read:
            tags |= page_scope.tags or {table_tag(t) for t in page_scope.read}
        cache.set_many({key: value, tables_key: sorted(tags)}, SUMMARY_SECONDS, version=version)
    else:
        # The page that shows it read these tables too (portal/caching.py keys pages on them).
        note_tags(found[tables_key])
    return value
