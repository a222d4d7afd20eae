# The expression indexes that 0002_search created with SQL, now declared in Meta.indexes (over
# the Func classes of organizations/functions.py) so that makemigrations tracks them. They exist
# already, under the same names: only Django's state learns about them, nothing is rebuilt.

import django.contrib.postgres.indexes
import django.db.models.functions.comparison
import organizations.functions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0001_squashed_0002_search'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AddIndex(
                    model_name='organization',
                    index=django.contrib.postgres.indexes.GinIndex(organizations.functions.OrganizationNames(), name='organizations_org_names_gin'),
                ),
                migrations.AddIndex(
                    model_name='organization',
                    index=models.Index(models.F('name_en'), models.F('id'), name='organizations_org_sort_en'),
                ),
                migrations.AddIndex(
                    model_name='organization',
                    index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_de'), models.Value('')), models.F('name_en')), models.F('id'), name='organizations_org_sort_de'),
                ),
                migrations.AddIndex(
                    model_name='organization',
                    index=models.Index(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('name_ja'), models.Value('')), models.F('name_en')), models.F('id'), name='organizations_org_sort_ja'),
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(organizations.functions.PersonDocument(), name='gin_trgm_ops'), name='organizations_person_doc_trgm'),
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=django.contrib.postgres.indexes.GinIndex(organizations.functions.SearchTerms(organizations.functions.PersonDocument()), name='organizations_person_terms_gin'),
                ),
                migrations.AddIndex(
                    model_name='region',
                    index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(organizations.functions.RegionDocument(), name='gin_trgm_ops'), name='organizations_region_doc_trgm'),
                ),
                migrations.AddIndex(
                    model_name='region',
                    index=django.contrib.postgres.indexes.GinIndex(organizations.functions.SearchTerms(organizations.functions.RegionDocument()), name='organizations_region_terms_gin'),
                ),
            ],
        ),
    ]
