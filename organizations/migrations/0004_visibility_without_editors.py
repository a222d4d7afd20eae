"""Remove Visibility.EDITORS ("registered editors only"): it meant the same as hidden.

Rows that had it become hidden, which is what they showed. The reverse step restores only the
choice, not which hidden rows had been "editors".
"""

from django.db import migrations, models


def editors_to_hidden(apps, schema_editor):
    Affiliation = apps.get_model("organizations", "Affiliation")
    Affiliation.objects.filter(visibility="editors").update(visibility="hidden")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_search_indexes_in_state"),
    ]

    operations = [
        migrations.RunPython(editors_to_hidden, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="affiliation",
            name="visibility",
            field=models.CharField(
                choices=[("public", "Public"), ("hidden", "Hidden")],
                default="hidden",
                help_text="Personal data is shown on public pages only when this is Public.",
                max_length=10,
                verbose_name="visibility",
            ),
        ),
    ]
