import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The profile's indexes (issue 22): the organisation list's "languages spoken" filter
    # (organizations/filters.py), and the international contact's foreign key (deleting a
    # contact point clears it). Built concurrently: the table stays writable.
    atomic = False

    dependencies = [
        ("organizations", "0015_organization_profile"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="organization",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["languages"], name="organizations_org_langs_gin"
            ),
        ),
        AddIndexConcurrently(
            model_name="organization",
            index=models.Index(
                fields=["international_contact"], name="organizations_org_intl_contact"
            ),
        ),
    ]
