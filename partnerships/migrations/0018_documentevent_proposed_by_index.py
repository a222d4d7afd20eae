from django.db import migrations


class Migration(migrations.Migration):
    """The index of the history's copy of Document.proposed_by (see 0017), built concurrently."""

    atomic = False  # CREATE INDEX CONCURRENTLY: the history table stays writable

    dependencies = [
        ('partnerships', '0017_document_proposed_by'),
    ]

    operations = [
        migrations.RunSQL(
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS "partnerships_documentevent_proposed_by_id_f294ec30" '
            'ON "partnerships_documentevent" ("proposed_by_id")',
            reverse_sql='DROP INDEX CONCURRENTLY IF EXISTS "partnerships_documentevent_proposed_by_id_f294ec30"',
        ),
    ]
