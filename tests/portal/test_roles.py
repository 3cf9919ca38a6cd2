"""Role groups come from migration 0002; their permissions are synced from portal.roles after migrate."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from portal.choices import Role
from portal.roles import ROLE_PERMISSIONS, sync_role_permissions

pytestmark = pytest.mark.django_db

OFFICERS = [
    Role.COMMERCE_REVIEWER,
    Role.COMMERCE_SUPERVISOR,
    Role.CUSTOMS_OFFICER,
    Role.INSPECTION_OFFICER,
    Role.FOREX_OFFICER,
    Role.TAX_OFFICER,
]


def _perms(role) -> set[str]:
    group = Group.objects.get(name=str(role))
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_every_role_has_its_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_groups_hold_exactly_the_declared_permissions():
    for role in Role:
        assert _perms(role) == ROLE_PERMISSIONS.get(role.value, set()), role


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.SYSTEM_ADMIN,
            {"portal.view_all_auditevent", "portal.view_all_user", "exchange.view_all_message"},
        ),
        (Role.ENTERPRISE_ADMIN, {"portal.manage_own_users"}),
        *[(role, {"portal.view_all_organisation", "exchange.view_department_message"}) for role in OFFICERS],
        (Role.STATISTICS_OFFICIAL, {"portal.view_all_organisation"}),
    ],
)
def test_key_permissions_of_each_role(role, expected):
    assert expected <= _perms(role)


@pytest.mark.parametrize("role", [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR])
def test_enterprise_roles_see_nothing_of_other_organisations(role):
    assert not {p for p in _perms(role) if ".view_all_" in p or p.endswith("_department_message")}


def test_sync_removes_a_permission_granted_by_hand_and_is_idempotent():
    operator = Group.objects.get(name=Role.ENTERPRISE_OPERATOR)
    operator.permissions.add(Permission.objects.get(codename="view_all_auditevent"))
    sync_role_permissions()
    sync_role_permissions()
    assert _perms(Role.ENTERPRISE_OPERATOR) == ROLE_PERMISSIONS.get(Role.ENTERPRISE_OPERATOR.value, set())


def test_the_data_migration_creates_and_removes_the_groups():
    migration = importlib.import_module("portal.migrations.0002_roles")
    apps = MigrationLoader(connection).project_state(("portal", "0002_roles")).apps

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.remove_groups(apps, editor)
    assert not Group.objects.filter(name__in=Role.values).exists()
    migration.create_groups(apps, editor)
    migration.create_groups(apps, editor)  # running twice creates nothing twice
    assert sorted(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == sorted(
        Role.values
    )
    assert list(Role.values) == migration.ROLE_NAMES  # the migration's frozen list matches the code
