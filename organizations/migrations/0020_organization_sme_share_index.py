import django.db.models.expressions
import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The organisation list's "SMEs among the members" filter (organizations/filters.py) counts
    # its matches through this index (issue 22). Built concurrently: the table stays writable.
    atomic = False

    dependencies = [
        ("organizations", "0019_french_for_partner_profiles"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="organization",
            index=models.Index(
                django.db.models.expressions.CombinedExpression(
                    django.db.models.expressions.CombinedExpression(
                        models.F("sme_count"), "*", models.Value(100)
                    ),
                    "/",
                    django.db.models.functions.comparison.NullIf(models.F("member_count"), 0),
                ),
                condition=models.Q(("is_archived", False), ("member_count__gt", 0)),
                name="organizations_org_sme_share",
            ),
        ),
    ]
