# The content types of the models that moved from organizations (0001_models_from_organizations)
# follow them: renamed in place, not made anew, so that the permissions given to groups and users
# (change_userpreference …) and the admin's log entries keep pointing at them.

from django.db import migrations

MOVED = ("contentgeneration", "userpreference", "userpreferenceevent")


def rename(apps, schema_editor, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not content_types.filter(app_label=new_app, model=model).exists():
            content_types.filter(app_label=old_app, model=model).update(app_label=new_app)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, "organizations", "core")


def backwards(apps, schema_editor):
    rename(apps, schema_editor, "core", "organizations")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_models_from_organizations'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
