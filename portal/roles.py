"""Which permissions each role group holds.

Groups are created by migration ``0002_roles``; their permissions are (re)synchronised after every
``migrate`` from this table, because Django creates Permission rows only after migrations have run.
Domain apps add their own rows from ``AppConfig.ready()`` with ``grant()``; the shell never imports them.
"""

from collections import defaultdict

from portal.choices import Role

ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)


def grant(role: Role | str, *permissions: str) -> None:
    """Declare that ``role`` holds ``permissions`` (``"app_label.codename"``)."""
    ROLE_PERMISSIONS[str(role)].update(permissions)


grant(Role.ENTERPRISE_ADMIN, "portal.manage_own_users")
grant(
    Role.SYSTEM_ADMIN,
    "portal.view_all_organisation",
    "portal.view_all_user",
    "portal.view_all_auditevent",
    "portal.view_all_importjob",
)
for _officer_role in (
    Role.COMMERCE_REVIEWER,
    Role.COMMERCE_SUPERVISOR,
    Role.CUSTOMS_OFFICER,
    Role.INSPECTION_OFFICER,
    Role.FOREX_OFFICER,
    Role.TAX_OFFICER,
    Role.STATISTICS_OFFICIAL,
):
    grant(_officer_role, "portal.view_all_organisation")


def sync_role_permissions(using: str = "default", **_kwargs) -> None:
    """Make every role group hold exactly the permissions declared for it (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS.get(role.value, set())
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:  # created by a later app's post_migrate; a later call picks it up
                perms.append(perm)
        group.permissions.set(perms)
