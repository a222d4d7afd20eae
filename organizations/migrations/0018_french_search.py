import django.contrib.postgres.indexes
import django.db.models.functions.comparison
import organizations.functions
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

# French, and any language after it, in the search functions: the region document takes any
# number of texts (VARIADIC), and the triggers read the names and descriptions of every language
# from the row itself (name_en, name_de, ... whatever columns modeltranslation added), so a
# language added later changes no function: only the indexes over the document are rebuilt (by
# the migration makemigrations writes then). Self-contained: the SQL is written out here.
#
# Non-atomic: the indexes are dropped and built concurrently; the tables stay writable. Between
# the drop and the build, region search reads without its index (slower, same results).
# Reverse: the functions stay as they are (they serve three languages as well as four).

SQL = r"""
-- The texts of a row's columns "<field>_<language>" (name_en, name_de, ...), ordered by column.
CREATE OR REPLACE FUNCTION organizations_language_texts(row_data jsonb, field text)
    RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ARRAY(
        SELECT t.value FROM jsonb_each_text(row_data) AS t
            WHERE t.key ~ ('^' || field || '_[a-z]{2,3}(_[a-z]+)?$') AND t.value <> ''
            ORDER BY t.key
    );

DROP FUNCTION IF EXISTS organizations_region_document(text, text, text, text, text);
CREATE OR REPLACE FUNCTION organizations_region_document(VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN organizations_search_clean(array_to_string(parts, ' '));

CREATE OR REPLACE FUNCTION organizations_region_context(region bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE up(id) AS (
        SELECT region
        UNION
        SELECT above.id FROM up, LATERAL (
            SELECT r.parent_id FROM organizations_region r
                WHERE r.id = up.id AND r.parent_id IS NOT NULL
            UNION ALL
            SELECT m.from_region_id FROM organizations_region_members m
                WHERE m.to_region_id = up.id
        ) AS above(id)
    )
    SELECT string_agg(concat_ws(' ',
            array_to_string(organizations_language_texts(to_jsonb(r), 'name'), ' '), r.aliases),
        ' ')
        FROM organizations_region r WHERE r.id IN (SELECT id FROM up);
END;

CREATE OR REPLACE FUNCTION organizations_organization_search_fill() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    focus text;
    own jsonb := to_jsonb(NEW);
BEGIN
    SELECT string_agg(array_to_string(organizations_language_texts(to_jsonb(f), 'name'), ' '), ' ')
        INTO focus
        FROM organizations_focusarea f
        JOIN organizations_organization_focus_areas l ON l.focusarea_id = f.id
        WHERE l.organization_id = NEW.id;
    NEW.search_names := '|' || array_to_string(ARRAY(
        SELECT DISTINCT organizations_search_clean(n)
            FROM unnest(organizations_language_texts(own, 'name')
                        || ARRAY[NEW.short_name, NEW.legal_name]) AS n
            WHERE coalesce(n, '') <> ''
    ), '|') || '|';
    NEW.search_document := organizations_search_clean(concat_ws(' ',
        array_to_string(organizations_language_texts(own, 'name'), ' '),
        NEW.short_name, NEW.legal_name, NEW.locality,
        array_to_string(organizations_language_texts(own, 'description'), ' '), focus,
        organizations_region_context(NEW.region_id)));
    NEW.search_terms := organizations_search_terms(NEW.search_document);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION organizations_focusarea_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.id IN (
            SELECT l.organization_id FROM organizations_organization_focus_areas l
            JOIN new_rows n ON n.id = l.focusarea_id
            JOIN old_rows p ON p.id = n.id
            WHERE organizations_language_texts(to_jsonb(n), 'name')
                IS DISTINCT FROM organizations_language_texts(to_jsonb(p), 'name')
        );
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION organizations_region_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.region_id IN (
            SELECT organizations_region_subtree(n.id) FROM new_rows n
            JOIN old_rows p ON p.id = n.id
            WHERE (organizations_language_texts(to_jsonb(n), 'name'), n.aliases, n.parent_id)
                IS DISTINCT FROM
                (organizations_language_texts(to_jsonb(p), 'name'), p.aliases, p.parent_id)
        );
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('organizations', '0017_french'),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name='organization',
            name='organizations_org_sort_en',
        ),
        RemoveIndexConcurrently(
            model_name='organization',
            name='organizations_org_sort_de',
        ),
        RemoveIndexConcurrently(
            model_name='organization',
            name='organizations_org_sort_ja',
        ),
        RemoveIndexConcurrently(
            model_name='region',
            name='organizations_region_doc_trgm',
        ),
        RemoveIndexConcurrently(
            model_name='region',
            name='organizations_region_terms_gin',
        ),
        migrations.RunSQL(SQL, migrations.RunSQL.noop),
        AddIndexConcurrently(
            model_name='organization',
            index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_en'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_de'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_ja'), models.Value('')), models.F('name_fr')), models.F('id'), condition=models.Q(('is_archived', False)), include=('name_en', 'name_de', 'name_ja', 'name_fr'), name='organizations_org_sort_en'),
        ),
        AddIndexConcurrently(
            model_name='organization',
            index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_de'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_en'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_ja'), models.Value('')), models.F('name_fr')), models.F('id'), condition=models.Q(('is_archived', False)), include=('name_en', 'name_de', 'name_ja', 'name_fr'), name='organizations_org_sort_de'),
        ),
        AddIndexConcurrently(
            model_name='organization',
            index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_ja'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_en'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_de'), models.Value('')), models.F('name_fr')), models.F('id'), condition=models.Q(('is_archived', False)), include=('name_en', 'name_de', 'name_ja', 'name_fr'), name='organizations_org_sort_ja'),
        ),
        AddIndexConcurrently(
            model_name='organization',
            index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_fr'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_en'), models.Value('')), django.db.models.functions.comparison.NullIf(models.F('name_de'), models.Value('')), models.F('name_ja')), models.F('id'), condition=models.Q(('is_archived', False)), include=('name_en', 'name_de', 'name_ja', 'name_fr'), name='organizations_org_sort_fr'),
        ),
        AddIndexConcurrently(
            model_name='region',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(organizations.functions.RegionDocument(languages=('en', 'de', 'ja', 'fr')), name='gin_trgm_ops'), name='organizations_region_doc_trgm'),
        ),
        AddIndexConcurrently(
            model_name='region',
            index=django.contrib.postgres.indexes.GinIndex(organizations.functions.SearchTerms(organizations.functions.RegionDocument(languages=('en', 'de', 'ja', 'fr'))), name='organizations_region_terms_gin'),
        ),
    ]
