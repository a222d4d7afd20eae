from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The admin's organisation list and autocompletes read organisations in English name order
    # along this index and stop at a page (issue 24). Built concurrently: the table stays
    # writable.
    atomic = False

    dependencies = [
        ("organizations", "0025_person_name_order_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="organization",
            index=models.Index(fields=["name_en", "id"], name="organizations_org_name_en"),
        ),
    ]
