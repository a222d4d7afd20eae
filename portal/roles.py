"""The portal's staff roles as Django groups, and the model permissions each holds.

The organisation scope of a cluster manager's rights is not here but in ``core/access.py`` (with
the scopes of ``organizations/access.py`` and ``partnerships/access.py``): a group gives the
*kind* of change ("may change agreements"), the scope *which* rows ("those of BioM").
A translator's group holds the view and change permissions of the records whose texts are
translated; which *fields* they change (the texts only) is ``core/access.py``'s
``may_change_field``. ``manage.py setup_roles`` creates or updates the groups (idempotent;
``load_demo`` runs it).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from core.access import ADMINISTRATORS_GROUP, MANAGERS_GROUP, TRANSLATORS_GROUP

ALL = ("add", "change", "delete", "view")

# (app label, model name) → the actions a cluster manager may take, within their scope.
MANAGER_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("organizations", "region"): ("view",),
    ("organizations", "focusarea"): ("view",),
    # May add a missing partner organisation ("+" on a party); edits only their own.
    ("organizations", "organization"): ("add", "change", "view"),
    ("organizations", "person"): ALL,
    ("organizations", "affiliation"): ALL,
    ("partnerships", "event"): ("add", "change", "view"),
    ("partnerships", "agreement"): ALL,
    ("partnerships", "agreementparty"): ALL,
    ("partnerships", "cooperationarea"): ALL,
    ("partnerships", "signingevent"): ALL,
    ("partnerships", "signature"): ALL,
    ("partnerships", "attendance"): ALL,
    ("partnerships", "statement"): ALL,
    ("partnerships", "agreementcontact"): ALL,
    ("partnerships", "document"): ALL,
    # What happens under an agreement (issue 21): within the scope of partnerships/access.py.
    ("partnerships", "commitment"): ALL,
    ("partnerships", "activity"): ALL,
    # Renewal reminders sent to the managers of their agreements' parties: a record, read only.
    ("partnerships", "reminder"): ("view",),
}

# A translator (issue 23) views and changes, within the organisation scope of the organisations
# they are linked to, the records whose texts are translated — their texts only
# (core/access.py may_change_field); they add and delete nothing. People's names and honorifics
# are not a translator's: a person is kept by the managers of their organisation.
TRANSLATOR_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("organizations", "region"): ("view",),
    ("organizations", "focusarea"): ("view",),
    ("organizations", "organization"): ("change", "view"),
    ("organizations", "affiliation"): ("change", "view"),
    ("partnerships", "event"): ("change", "view"),
    ("partnerships", "agreement"): ("change", "view"),
    ("partnerships", "agreementparty"): ("change", "view"),
    ("partnerships", "cooperationarea"): ("change", "view"),
    ("partnerships", "signingevent"): ("change", "view"),
    ("partnerships", "signature"): ("change", "view"),
    ("partnerships", "attendance"): ("change", "view"),
    ("partnerships", "statement"): ("change", "view"),
    ("partnerships", "agreementcontact"): ("view",),
    ("partnerships", "document"): ("change", "view"),
    ("partnerships", "commitment"): ("change", "view"),
    ("partnerships", "activity"): ("change", "view"),
}

# Administrators hold every permission of the portal's own apps (the privacy requests
# export_person and erase_person included), may read the accounts, and may unlock an address
# locked out by django-axes (admin "Access attempts": delete the row).
ADMINISTRATOR_APPS = ("core", "organizations", "partnerships")
ADMINISTRATOR_EXTRA = (
    ("auth", "view_user"),
    ("auth", "view_group"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
)


def manager_permissions(
    table: dict[tuple[str, str], tuple[str, ...]] = MANAGER_PERMISSIONS,
) -> list[Permission]:
    """The permissions of ``table`` (the managers' by default, or the translators')."""
    wanted = {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in table.items()
        for action in actions
    }
    permissions = [
        p
        for p in Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted}
        ).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
    if missing:
        raise LookupError(f"Unknown permissions (migrate first?): {sorted(missing)}")
    return permissions


def administrator_permissions() -> list[Permission]:
    own = Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    extra = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in ADMINISTRATOR_EXTRA
    ]
    return [*own, *extra]


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create or update the groups so that they hold exactly their permissions; returns the
    number of permissions of each."""
    result = {}
    for name, permissions in (
        (MANAGERS_GROUP, manager_permissions()),
        (TRANSLATORS_GROUP, manager_permissions(TRANSLATOR_PERMISSIONS)),
        (ADMINISTRATORS_GROUP, administrator_permissions()),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        result[name] = len(permissions)
    return result


def roles_matrix() -> str:
    """The role × model × action table, as text. "own": rows in the manager's organisation
    scope (core/access.py); "visible": those plus public ones; "all"; "—": none."""
    from django.apps import apps

    from core import access

    header = f"{'model':<34}{'role':<22}{'view':<10}{'add':<6}{'change':<8}{'delete':<8}"
    lines = [header, "-" * len(header)]
    for (app_label, model_name), actions in MANAGER_PERMISSIONS.items():
        model = apps.get_model(app_label, model_name)
        scoped = access.scope_of(model) is not None
        label = f"{app_label}.{model_name}"
        lines.append(f"{label:<34}{'administrator':<22}{'all':<10}{'yes':<6}{'all':<8}{'all':<8}")

        def cell(action: str, *, actions: tuple[str, ...] = actions, scoped: bool = scoped) -> str:
            if action not in actions and not (action == "view" and "change" in actions):
                return "—"
            if action == "add":
                return "yes"
            if action == "view":
                return "visible" if scoped else "all"
            return "own" if scoped else "all"

        lines.append(
            f"{'':<34}{'cluster manager':<22}{cell('view'):<10}{cell('add'):<6}"
            f"{cell('change'):<8}{cell('delete'):<8}"
        )
        translator = TRANSLATOR_PERMISSIONS.get((app_label, model_name), ())
        texts = "texts" if "change" in translator else "—"  # own rows' texts only
        lines.append(
            f"{'':<34}{'translator':<22}{cell('view', actions=translator):<10}"
            f"{cell('add', actions=translator):<6}{texts:<8}{cell('delete', actions=translator):<8}"
        )
        lines.append(f"{'':<34}{'public / other staff':<22}{'—':<10}{'—':<6}{'—':<8}{'—':<8}")
    lines.append(
        f"{'organizations.clustermanager':<34}{'administrator':<22}{'all':<10}{'yes':<6}"
        f"{'all':<8}{'all':<8}"
    )
    lines.append(f"{'':<34}{'cluster manager':<22}{'—':<10}{'—':<6}{'—':<8}{'—':<8}")
    return "\n".join(lines)
