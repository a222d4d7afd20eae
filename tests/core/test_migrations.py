"""The kernel's models came from the organizations app by a state-only move (migrations
``organizations/0013_kernel_models_to_core``, ``core/0001_models_from_organizations`` and
``core/0002_content_types_from_organizations``): a database that had them under organizations
keeps every row, its history, its history triggers and the permissions given on them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import history
from core.models import UserPreference

BEFORE = [("organizations", "0012_user_preference"), ("core", None)]
MOVED = ("contentgeneration", "userpreference", "userpreferenceevent")


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def trigger_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relname = %s AND t.tgname LIKE 'pgtrigger_%%'",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_preferences_history_and_permissions():
    old = migrate(BEFORE).loader.project_state(BEFORE[:1]).apps
    try:
        # What a database had before the move: a preference, its recorded insert, and a group
        # given a permission on it (content type organizations.userpreference: the way back
        # renamed the content types too).
        # (core's later models, page views, keep their content types: not moved.)
        assert not ContentType.objects.filter(app_label="core", model__in=MOVED).exists()
        user = old.get_model("auth", "User").objects.create(username="kenji", is_staff=True)
        old.get_model("organizations", "UserPreference").objects.create(
            user_id=user.pk, language="ja"
        )
        permission = Permission.objects.get(
            content_type__app_label="organizations", codename="change_userpreference"
        )
        group = Group.objects.create(name="Preference editors")
        group.permissions.add(permission)
        old_triggers = trigger_names("organizations_userpreference")
        assert len(old_triggers) == 3
    finally:
        migrate(None)
        ContentType.objects.clear_cache()

    preference = UserPreference.objects.get(user_id=user.pk)
    assert preference.language == "ja"
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "core"
    assert group.permissions.filter(content_type__app_label="core").exists()
    triggers = trigger_names("organizations_userpreference")
    assert len(triggers) == 3
    assert not triggers & old_triggers  # installed again under core's name
    preference.language = "de"
    preference.save()
    versions = history.versions(UserPreference, user.pk)
    assert [v.label for v in versions] == ["insert", "update"]
    assert versions[-1].event.language == "de"
