# ContentGeneration, UserPreference and its history (UserPreferenceEvent) move to the core app
# (core/migrations/0001_models_from_organizations), without touching their tables: here they leave
# this app's state only; the tables, rows, constraint and content-generation triggers stay.
#
# Only the three history triggers of user preferences are dropped: pgtrigger names a trigger after
# its model's app ("pgtrigger_insert_insert_<hash of organizations.UserPreference:…>"), so core
# installs them again under core's name, on the same table, writing the same event table.

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0012_user_preference'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='userpreference',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='userpreference',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='userpreference',
            name='delete_delete',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='UserPreferenceEvent',
                ),
                migrations.DeleteModel(
                    name='UserPreference',
                ),
                migrations.DeleteModel(
                    name='ContentGeneration',
                ),
            ],
            database_operations=[],
        ),
    ]
