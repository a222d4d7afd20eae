import django.contrib.postgres.indexes
import organizations.functions
import partnerships.functions
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

# French, and any language after it, in the agreement search: the agreement document takes any
# number of texts (VARIADIC), so a language added later changes no function, only the indexes
# over the document (rebuilt by the migration makemigrations writes then). Self-contained: the
# SQL is written out here.
#
# Non-atomic: the indexes are dropped and built concurrently; the table stays writable. Between
# the drop and the build, agreement search reads without its index (slower, same results).
# Reverse: the function stays variadic (it serves three languages as well as four).

SQL = r"""
DROP FUNCTION IF EXISTS partnerships_agreement_document(text, text, text, text, text, text, text);
CREATE OR REPLACE FUNCTION partnerships_agreement_document(VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN organizations_search_clean(array_to_string(parts, ' '));
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('organizations', '0018_french_search'),
        ('partnerships', '0022_french'),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name='agreement',
            name='partnerships_agr_doc_trgm',
        ),
        RemoveIndexConcurrently(
            model_name='agreement',
            name='partnerships_agr_terms_gin',
        ),
        RemoveIndexConcurrently(
            model_name='agreement',
            name='partnerships_agr_list_newest',
        ),
        migrations.RunSQL(SQL, migrations.RunSQL.noop),
        AddIndexConcurrently(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(partnerships.functions.AgreementDocument(languages=('en', 'de', 'ja', 'fr')), name='gin_trgm_ops'), name='partnerships_agr_doc_trgm'),
        ),
        AddIndexConcurrently(
            model_name='agreement',
            index=django.contrib.postgres.indexes.GinIndex(organizations.functions.SearchTerms(partnerships.functions.AgreementDocument(languages=('en', 'de', 'ja', 'fr'))), name='partnerships_agr_terms_gin'),
        ),
        AddIndexConcurrently(
            model_name='agreement',
            index=models.Index(models.OrderBy(models.F('signed_on'), descending=True, nulls_last=True), models.F('id'), condition=models.Q(('publication', 'published')), include=('title_en', 'title_de', 'title_ja', 'title_fr'), name='partnerships_agr_list_newest'),
        ),
    ]
