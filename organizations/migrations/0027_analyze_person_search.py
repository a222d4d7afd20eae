from django.db import migrations


class Migration(migrations.Migration):
    # 0024 rebuilt the person search indexes over a new expression (the name with its reading).
    # PostgreSQL keeps statistics of an index expression only once the table is analysed, and
    # autovacuum analyses a table only after enough of its rows change: until then the planner
    # guessed 400 matches for a term every person matches and rechecked the expression on every
    # row instead of reading people in name order and stopping at a page (the signatory
    # autocomplete for "fake" at 50,000 people: 510 ms before ANALYZE, 11 ms after).
    dependencies = [
        ("organizations", "0026_organization_name_en_index"),
    ]

    operations = [
        migrations.RunSQL("ANALYZE organizations_person", reverse_sql=migrations.RunSQL.noop),
    ]
