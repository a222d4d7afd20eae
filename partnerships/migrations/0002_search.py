# Agreement search (partnerships/search.py), moved here from organizations' old 0002_search,
# which created organizations_agreement_document() and two indexes on this table. Works on both
# kinds of database:
#
# * a new one (organizations' 0001_squashed_0002_search, which no longer touches this table):
#   the DROP ... IF EXISTS find nothing;
# * one that applied the old organizations 0002_search: its agreement indexes and function are
#   dropped, and the same indexes are built again under this app's names.
#
# The function is plain SQL (kept in the migration, like organizations' search functions); the
# indexes are in Agreement.Meta.indexes, over partnerships.functions.AgreementDocument.

import django.contrib.postgres.indexes
import organizations.functions
import partnerships.functions
from django.db import migrations

AGREEMENT_DOCUMENT_SQL = """
DROP INDEX IF EXISTS organizations_agreement_terms_gin;
DROP INDEX IF EXISTS organizations_agreement_doc_trgm;
DROP FUNCTION IF EXISTS organizations_agreement_document(text, text, text, text, text, text, text);

CREATE FUNCTION partnerships_agreement_document(
    code text, title_en text, title_de text, title_ja text,
    summary_en text, summary_de text, summary_ja text
) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN organizations_search_clean(
        concat_ws(' ', code, title_en, title_de, title_ja, summary_en, summary_de, summary_ja)
    );
"""

AGREEMENT_DOCUMENT_REVERSE_SQL = """
DROP FUNCTION partnerships_agreement_document(text, text, text, text, text, text, text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_search_indexes_in_state'),
        ('partnerships', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(AGREEMENT_DOCUMENT_SQL, AGREEMENT_DOCUMENT_REVERSE_SQL),
        migrations.AddIndex(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(partnerships.functions.AgreementDocument(), name='gin_trgm_ops'), name='partnerships_agr_doc_trgm'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(organizations.functions.SearchTerms(partnerships.functions.AgreementDocument()), name='partnerships_agr_terms_gin'),
        ),
    ]
