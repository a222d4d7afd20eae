from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The admin's people list and person autocomplete read people in name order along this
    # index and stop at a page (issue 24). Built concurrently: the table stays writable.
    atomic = False

    dependencies = [
        ("organizations", "0024_person_search_reading"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="person",
            index=models.Index(
                fields=["family_name", "given_name", "id"], name="organizations_person_names"
            ),
        ),
    ]
