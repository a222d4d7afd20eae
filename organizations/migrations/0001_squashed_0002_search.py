# 0001_initial and 0002_search in one, without what 0002_search did to partnerships' table: the
# agreement search function and indexes belong to partnerships (its 0002_search), so that
# organizations, the lower app, depends on nothing of partnerships, not even in its migrations.
#
# A database that applied 0001 and 0002 counts this one as applied; the agreement indexes that
# the old 0002 created there are dropped and recreated by partnerships' 0002_search. Once every
# database has passed that, 0001_initial and 0002_search can be deleted (and "replaces" with them).

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import phonenumber_field.modelfields
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

# Search support, all in PostgreSQL (read by organizations/search/):
#
# * organizations_search_normalize(text): NFKC, unaccent, lower-case. IMMUTABLE so that it can be
#   used in indexes; the body is SQL-standard (RETURN ...), so unaccent and its dictionary are bound
#   when the function is created and a different search_path later cannot change the result.
# * organizations_search_clean(text): normalise, add German transliterations of words with umlauts
#   (München → "munchen muenchen"), and turn punctuation into spaces.
# * organizations_search_terms(text): the 1-2 character words and the CJK/kana unigrams and bigrams of
#   a cleaned document. Trigram indexes cannot serve 2-character queries (大阪, 関西), and
#   depending on the database locale pg_trgm may not index CJK at all; a GIN index on these terms
#   serves them whatever the locale.
# * Triggers keep organizations_organization.search_* right when an organisation, its focus areas,
#   a focus area's name, a region's names/aliases/parent or a macro-region's members change, and
#   add the document's words to organizations_searchword (the vocabulary for query correction).
# * People and regions are searched through IMMUTABLE document functions of their own columns, with
#   expression indexes: no denormalised columns on those tables. (Agreements: partnerships/0002.)

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
PUNCT = r"\s!-/:-@\[-`{-~\u3000-\u3002\u300c-\u300f\u30fb\uff65"

SEARCH_FUNCTIONS_SQL = rf"""
CREATE FUNCTION organizations_search_normalize(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(unaccent('unaccent'::regdictionary, normalize(value, NFKC)));

CREATE FUNCTION organizations_search_clean(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT btrim(regexp_replace(
        organizations_search_normalize(value) || coalesce(' ' || (
            SELECT string_agg(DISTINCT organizations_search_normalize(
                replace(replace(replace(replace(replace(replace(
                    m[1], 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue')
            ), ' ')
            FROM regexp_matches(normalize(value, NFKC), '([^{PUNCT}]*[äöüÄÖÜ][^{PUNCT}]*)', 'g') AS m
        ), ''),
        '[{PUNCT}]+', ' ', 'g'));
END;

CREATE FUNCTION organizations_search_terms(document text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(array_agg(DISTINCT term), '{{}}') FROM (
        SELECT w AS term FROM regexp_split_to_table(document, '[\s{CJK}]+') AS w
            WHERE length(w) BETWEEN 1 AND 2
        UNION ALL
        SELECT substr(r.run[1], i, n)
            FROM regexp_matches(document, '([{CJK}]+)', 'g') AS r(run),
                generate_series(1, length(r.run[1])) AS i,
                generate_series(1, 2) AS n
            WHERE i + n - 1 <= length(r.run[1])
    ) AS terms;
END;

-- Regions above a region: its parents and the macro-regions that include it or a parent.
CREATE FUNCTION organizations_region_context(region bigint) RETURNS text
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
    SELECT string_agg(concat_ws(' ', r.name_en, r.name_de, r.name_ja, r.aliases), ' ')
        FROM organizations_region r WHERE r.id IN (SELECT id FROM up);
END;

-- A region and everything below it (children, and members of macro-regions), like
-- Region.objects.subtree_ids().
CREATE FUNCTION organizations_region_subtree(region bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE down(id) AS (
        SELECT region
        UNION
        SELECT below.id FROM down, LATERAL (
            SELECT r.id FROM organizations_region r WHERE r.parent_id = down.id
            UNION ALL
            SELECT m.to_region_id FROM organizations_region_members m
                WHERE m.from_region_id = down.id
        ) AS below(id)
    )
    SELECT id FROM down;
END;

CREATE FUNCTION organizations_region_document(
    name_en text, name_de text, name_ja text, aliases text, iso_code text
) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN organizations_search_clean(concat_ws(' ', name_en, name_de, name_ja, aliases, iso_code));

CREATE FUNCTION organizations_person_document(
    given_name text, family_name text, native_name text
) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN organizations_search_clean(concat_ws(' ', given_name, family_name, native_name));
"""

SEARCH_FUNCTIONS_REVERSE_SQL = """
DROP FUNCTION organizations_person_document(text, text, text);
DROP FUNCTION organizations_region_document(text, text, text, text, text);
DROP FUNCTION organizations_region_subtree(bigint);
DROP FUNCTION organizations_region_context(bigint);
DROP FUNCTION organizations_search_terms(text);
DROP FUNCTION organizations_search_clean(text);
DROP FUNCTION organizations_search_normalize(text);
"""

SEARCH_TRIGGERS_SQL = rf"""
-- BEFORE INSERT OR UPDATE of an organisation: compute its search columns.
CREATE FUNCTION organizations_organization_search_fill() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    focus text;
BEGIN
    SELECT string_agg(concat_ws(' ', f.name_en, f.name_de, f.name_ja), ' ') INTO focus
        FROM organizations_focusarea f
        JOIN organizations_organization_focus_areas l ON l.focusarea_id = f.id
        WHERE l.organization_id = NEW.id;
    NEW.search_names := '|' || array_to_string(ARRAY(
        SELECT DISTINCT organizations_search_clean(n)
            FROM unnest(ARRAY[NEW.name_en, NEW.name_de, NEW.name_ja, NEW.short_name,
                              NEW.legal_name]) AS n
            WHERE coalesce(n, '') <> ''
    ), '|') || '|';
    NEW.search_document := organizations_search_clean(concat_ws(' ',
        NEW.name_en, NEW.name_de, NEW.name_ja, NEW.short_name, NEW.legal_name, NEW.locality,
        NEW.description_en, NEW.description_de, NEW.description_ja, focus,
        organizations_region_context(NEW.region_id)));
    NEW.search_terms := organizations_search_terms(NEW.search_document);
    RETURN NEW;
END
$$;

CREATE TRIGGER organizations_organization_search_fill
    BEFORE INSERT OR UPDATE ON organizations_organization
    FOR EACH ROW EXECUTE FUNCTION organizations_organization_search_fill();

-- AFTER INSERT/UPDATE of organisations: add their words to the correction vocabulary.
CREATE FUNCTION organizations_organization_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organizations_searchword (word)
        SELECT DISTINCT w FROM changed_organizations o,
            regexp_split_to_table(o.search_document, '[\s{CJK}]+') AS w
        WHERE length(w) BETWEEN 4 AND 40 AND w !~ '^[0-9]+$'
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_organization_search_words_insert
    AFTER INSERT ON organizations_organization
    REFERENCING NEW TABLE AS changed_organizations
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_organization_search_words();

CREATE TRIGGER organizations_organization_search_words_update
    AFTER UPDATE ON organizations_organization
    REFERENCING NEW TABLE AS changed_organizations
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_organization_search_words();

-- Focus areas added to or removed from organisations.
CREATE FUNCTION organizations_focus_link_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.id IN (SELECT organization_id FROM changed_links);
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_focus_link_search_insert
    AFTER INSERT ON organizations_organization_focus_areas
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_focus_link_search_refresh();

CREATE TRIGGER organizations_focus_link_search_delete
    AFTER DELETE ON organizations_organization_focus_areas
    REFERENCING OLD TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_focus_link_search_refresh();

-- A focus area renamed.
CREATE FUNCTION organizations_focusarea_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.id IN (
            SELECT l.organization_id FROM organizations_organization_focus_areas l
            JOIN new_rows n ON n.id = l.focusarea_id
            JOIN old_rows p ON p.id = n.id
            WHERE (n.name_en, n.name_de, n.name_ja) IS DISTINCT FROM (p.name_en, p.name_de, p.name_ja)
        );
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_focusarea_search_refresh
    AFTER UPDATE ON organizations_focusarea
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_focusarea_search_refresh();

-- A region renamed, given other aliases or moved: organisations anywhere below it.
CREATE FUNCTION organizations_region_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.region_id IN (
            SELECT organizations_region_subtree(n.id) FROM new_rows n
            JOIN old_rows p ON p.id = n.id
            WHERE (n.name_en, n.name_de, n.name_ja, n.aliases, n.parent_id)
                IS DISTINCT FROM (p.name_en, p.name_de, p.name_ja, p.aliases, p.parent_id)
        );
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_region_search_refresh
    AFTER UPDATE ON organizations_region
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_region_search_refresh();

-- A macro-region gains or loses a member: organisations below the member.
CREATE FUNCTION organizations_region_member_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations_organization o SET search_document = ''
        WHERE o.region_id IN (
            SELECT organizations_region_subtree(m.to_region_id) FROM changed_members m
        );
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_region_member_search_insert
    AFTER INSERT ON organizations_region_members
    REFERENCING NEW TABLE AS changed_members
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_region_member_search_refresh();

CREATE TRIGGER organizations_region_member_search_delete
    AFTER DELETE ON organizations_region_members
    REFERENCING OLD TABLE AS changed_members
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_region_member_search_refresh();
"""

SEARCH_TRIGGERS_REVERSE_SQL = """
DROP TRIGGER organizations_region_member_search_delete ON organizations_region_members;
DROP TRIGGER organizations_region_member_search_insert ON organizations_region_members;
DROP FUNCTION organizations_region_member_search_refresh();
DROP TRIGGER organizations_region_search_refresh ON organizations_region;
DROP FUNCTION organizations_region_search_refresh();
DROP TRIGGER organizations_focusarea_search_refresh ON organizations_focusarea;
DROP FUNCTION organizations_focusarea_search_refresh();
DROP TRIGGER organizations_focus_link_search_delete ON organizations_organization_focus_areas;
DROP TRIGGER organizations_focus_link_search_insert ON organizations_organization_focus_areas;
DROP FUNCTION organizations_focus_link_search_refresh();
DROP TRIGGER organizations_organization_search_words_update ON organizations_organization;
DROP TRIGGER organizations_organization_search_words_insert ON organizations_organization;
DROP FUNCTION organizations_organization_search_words();
DROP TRIGGER organizations_organization_search_fill ON organizations_organization;
DROP FUNCTION organizations_organization_search_fill();
"""

# Expression indexes; the expressions are written identically in organizations/search.py.
SEARCH_INDEXES_SQL = """
-- Organisation search: exact name matches ranked first (any language, short or legal name).
CREATE INDEX organizations_org_names_gin ON organizations_organization
    USING gin ((string_to_array(btrim(search_names, '|'), '|')));

-- Organisation list: sorted by the name in the visitor's language, falling back to English.
CREATE INDEX organizations_org_sort_en ON organizations_organization (name_en, id);
CREATE INDEX organizations_org_sort_de
    ON organizations_organization ((COALESCE(NULLIF(name_de, ''), name_en)), id);
CREATE INDEX organizations_org_sort_ja
    ON organizations_organization ((COALESCE(NULLIF(name_ja, ''), name_en)), id);

-- Region picker (region_suggest) and region names typed into the region filter.
CREATE INDEX organizations_region_doc_trgm ON organizations_region
    USING gin (organizations_region_document(name_en, name_de, name_ja, aliases, iso_code)
               gin_trgm_ops);
CREATE INDEX organizations_region_terms_gin ON organizations_region
    USING gin (organizations_search_terms(
        organizations_region_document(name_en, name_de, name_ja, aliases, iso_code)));

-- Site search: people.
CREATE INDEX organizations_person_doc_trgm ON organizations_person
    USING gin (organizations_person_document(given_name, family_name, native_name) gin_trgm_ops);
CREATE INDEX organizations_person_terms_gin ON organizations_person
    USING gin (organizations_search_terms(
        organizations_person_document(given_name, family_name, native_name)));
"""

SEARCH_INDEXES_REVERSE_SQL = """
DROP INDEX organizations_person_terms_gin;
DROP INDEX organizations_person_doc_trgm;
DROP INDEX organizations_region_terms_gin;
DROP INDEX organizations_region_doc_trgm;
DROP INDEX organizations_org_names_gin;
DROP INDEX organizations_org_sort_ja;
DROP INDEX organizations_org_sort_de;
DROP INDEX organizations_org_sort_en;
"""



class Migration(migrations.Migration):

    replaces = [
        ("organizations", "0001_initial"),
        ("organizations", "0002_search"),
    ]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='FocusArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_en', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('name_de', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('name_ja', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_de', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_ja', models.TextField(blank=True, null=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'focus area',
                'verbose_name_plural': 'focus areas',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('honorific', models.CharField(blank=True, help_text='e.g. Dr., Prof. Dr.', max_length=50, verbose_name='honorific')),
                ('honorific_en', models.CharField(blank=True, help_text='e.g. Dr., Prof. Dr.', max_length=50, null=True, verbose_name='honorific')),
                ('honorific_de', models.CharField(blank=True, help_text='e.g. Dr., Prof. Dr.', max_length=50, null=True, verbose_name='honorific')),
                ('honorific_ja', models.CharField(blank=True, help_text='e.g. Dr., Prof. Dr.', max_length=50, null=True, verbose_name='honorific')),
                ('given_name', models.CharField(max_length=100, verbose_name='given name')),
                ('family_name', models.CharField(max_length=100, verbose_name='family name')),
                ('native_name', models.CharField(blank=True, help_text='As the person writes it, e.g. in kanji. Leave empty if not known.', max_length=200, verbose_name='name in native script')),
                ('native_name_order', models.CharField(choices=[('given_first', 'Given name first (Horst Domdey)'), ('family_first', 'Family name first (Kishimoto Tadamitsu)')], default='given_first', help_text='Japanese is always shown family name first; other languages use this order.', max_length=20, verbose_name='native name order')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'person',
                'verbose_name_plural': 'people',
                'ordering': ['family_name', 'given_name'],
            },
        ),
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_en', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('name_de', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('name_ja', models.CharField(max_length=200, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('country', 'Country'), ('subdivision', 'State / prefecture'), ('district', 'District'), ('city', 'City / municipality'), ('macro_region', 'Macro-region')], max_length=20, verbose_name='kind')),
                ('iso_code', models.CharField(blank=True, help_text='ISO 3166-1 alpha-2 for countries (DE), ISO 3166-2 for subdivisions (DE-BY).', max_length=10, verbose_name='ISO 3166 code')),
                ('iso_type', models.CharField(blank=True, help_text='e.g. Land, Prefecture', max_length=100, verbose_name='ISO subdivision type')),
                ('aliases', models.CharField(blank=True, help_text='Other common names, separated by commas (Munchen, Muenchen).', max_length=500, verbose_name='aliases')),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='latitude')),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='longitude')),
                ('members', models.ManyToManyField(blank=True, help_text='For macro-regions: the regions it includes (Kansai includes Osaka).', related_name='macro_regions', to='organizations.region', verbose_name='includes')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organizations.region', verbose_name='parent region')),
                ('strengths', models.ManyToManyField(blank=True, help_text='Fields the region is known for, e.g. personalised medicine in Munich.', related_name='strong_regions', to='organizations.focusarea', verbose_name='strengths')),
            ],
            options={
                'verbose_name': 'region',
                'verbose_name_plural': 'regions',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('name_en', models.CharField(max_length=300, null=True, verbose_name='name')),
                ('name_de', models.CharField(max_length=300, null=True, verbose_name='name')),
                ('name_ja', models.CharField(max_length=300, null=True, verbose_name='name')),
                ('short_name', models.CharField(blank=True, help_text='e.g. BioM', max_length=100, verbose_name='short name')),
                ('legal_name', models.CharField(blank=True, help_text='As registered, e.g. BioM Biotech Cluster Development GmbH', max_length=300, verbose_name='legal name')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('cluster', 'Cluster management organisation'), ('government', 'Government body'), ('foundation', 'Foundation'), ('company', 'Company'), ('research', 'University / research institute'), ('event_organizer', 'Event organiser'), ('association', 'Association / network'), ('other', 'Other')], max_length=20, verbose_name='kind')),
                ('street_address', models.CharField(blank=True, max_length=300, verbose_name='street address')),
                ('postal_code', models.CharField(blank=True, max_length=20, verbose_name='postal code')),
                ('locality', models.CharField(blank=True, help_text='As written in the postal address', max_length=200, verbose_name='locality')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None, verbose_name='phone')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_de', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_ja', models.TextField(blank=True, null=True, verbose_name='description')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('focus_areas', models.ManyToManyField(blank=True, related_name='organizations', to='organizations.focusarea', verbose_name='focus areas')),
                ('parent', models.ForeignKey(blank=True, help_text='e.g. Osaka Bio Headquarters is part of the Senri Life Science Foundation', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organizations.organization', verbose_name='parent organisation')),
                ('region', models.ForeignKey(help_text='The most precise region that applies (city, district, state or country).', on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='organizations.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Affiliation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.CharField(blank=True, help_text='e.g. CEO, President', max_length=200, verbose_name='position')),
                ('position_en', models.CharField(blank=True, help_text='e.g. CEO, President', max_length=200, null=True, verbose_name='position')),
                ('position_de', models.CharField(blank=True, help_text='e.g. CEO, President', max_length=200, null=True, verbose_name='position')),
                ('position_ja', models.CharField(blank=True, help_text='e.g. CEO, President', max_length=200, null=True, verbose_name='position')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None, verbose_name='phone')),
                ('visibility', models.CharField(choices=[('public', 'Public'), ('editors', 'Registered editors only'), ('hidden', 'Hidden')], default='hidden', help_text='Personal data is shown on public pages only when this is Public.', max_length=10, verbose_name='visibility')),
                ('is_current', models.BooleanField(default=True, verbose_name='current')),
                ('stated_on', models.DateField(blank=True, help_text='Date of the source that gives this position, e.g. a press release.', null=True, verbose_name='as of')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='affiliations', to='organizations.organization', verbose_name='organisation')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='affiliations', to='organizations.person', verbose_name='person')),
            ],
            options={
                'verbose_name': 'affiliation / contact point',
                'verbose_name_plural': 'affiliations / contact points',
                'ordering': ['person__family_name', 'organization__name'],
                'constraints': [models.UniqueConstraint(fields=('person', 'organization'), name='organizations_affiliation_unique_person_organization', violation_error_message='This person already has a position at this organisation: edit that one.')],
            },
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.UniqueConstraint(condition=models.Q(('iso_code', ''), _negated=True), fields=('iso_code',), name='organizations_region_unique_iso_code', violation_error_code='unique', violation_error_message='Another region already has this ISO 3166 code.'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='organizations_region_not_own_parent'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(('latitude__isnull', True), models.Q(('latitude__gte', -90), ('latitude__lte', 90)), _connector='OR'), name='organizations_region_latitude_range'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(('longitude__isnull', True), models.Q(('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='organizations_region_longitude_range'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__isnull', False), ('longitude__isnull', False)), _connector='OR'), name='organizations_region_centroid_complete'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'country'), _negated=True), ('parent__isnull', True), _connector='OR'), name='organizations_region_country_is_root'),
        ),
        migrations.AddConstraint(
            model_name='organization',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='organizations_organization_not_own_parent'),
        ),
        TrigramExtension(),
        UnaccentExtension(),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.TextField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
            },
        ),
        migrations.AddField(
            model_name='organization',
            name='search_document',
            field=models.TextField(default='', editable=False, help_text='Names, descriptions, focus areas and region names, normalised'),
        ),
        migrations.AddField(
            model_name='organization',
            name='search_names',
            field=models.TextField(default='', editable=False, help_text='|name|short name|legal name|, normalised'),
        ),
        migrations.AddField(
            model_name='organization',
            name='search_terms',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), default=list, editable=False, help_text='Short words and CJK unigrams/bigrams of the document (2-character queries)'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_document'], name='organizations_org_doc_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_names'], name='organizations_org_names_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_terms'], name='organizations_org_terms_gin'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(fields=['word'], name='organizations_word_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.RunSQL(SEARCH_FUNCTIONS_SQL, SEARCH_FUNCTIONS_REVERSE_SQL),
        migrations.RunSQL(SEARCH_TRIGGERS_SQL, SEARCH_TRIGGERS_REVERSE_SQL),
        # Fill the search columns of existing organisations (the BEFORE UPDATE trigger does it).
        migrations.RunSQL(
            "UPDATE organizations_organization SET search_document = ''", migrations.RunSQL.noop
        ),
        migrations.RunSQL(SEARCH_INDEXES_SQL, SEARCH_INDEXES_REVERSE_SQL),
    ]
