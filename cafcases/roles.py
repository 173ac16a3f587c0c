"""Roles and the permissions each grants, through one Django group per role.

The groups are created and filled by migrations (``sync_role_groups``), so every database has them without a
manual step; a migration that adds models calls it again.
"""

from django.utils.translation import gettext_lazy as _

ROLE_GROUP_NAMES = {
    "agent": "Agents",
    "supervisor": "Superviseurs",
    "national_admin": "Administrateurs nationaux",
}

# Models whose permission codenames each role receives ("view", "add", "change", "delete").
AGENT_PERMISSIONS = {
    "organisation": ("view",),
    "country": ("view",),
    "user": ("view",),
    "person": ("view", "add", "change"),
    "identifier": ("view",),
    "case": ("view", "add", "change"),
    "caseevent": ("view",),
    "casedocument": ("view", "add", "change"),
    "certificationrequest": ("view", "add", "change"),
    "chase": ("view", "add"),
    "contactattempt": ("view", "add"),
    "casenote": ("view", "add"),
}
# Supervisors' extra powers (reassign, change the CPAM, reopen) are checked on the role, not model permissions.
SUPERVISOR_PERMISSIONS = {
    **AGENT_PERMISSIONS,
    # Uploading a people file (checked, then imported on confirmation) in the admin: cafcases/admin/imports.py.
    "importjob": ("view", "add"),
}
NATIONAL_ADMIN_PERMISSIONS = {
    "organisation": ("view", "add", "change"),
    "country": ("view", "change"),
    "user": ("view", "add", "change"),
    "person": ("view", "add", "change"),
    "identifier": ("view", "add", "change"),
    "case": ("view", "add", "change"),
    "caseevent": ("view",),
    "casedocument": ("view", "add", "change"),
    "certificationrequest": ("view", "add", "change"),
    "chase": ("view", "add"),
    "contactattempt": ("view", "add"),
    "casenote": ("view", "add"),
    "importjob": ("view", "add"),
    # The access log is read-only for everyone; national administrators browse it (DOMAIN.md, "Privacy").
    "audit.accesslog": ("view",),
}

ROLE_PERMISSIONS = {
    "agent": AGENT_PERMISSIONS,
    "supervisor": SUPERVISOR_PERMISSIONS,
    "national_admin": NATIONAL_ADMIN_PERMISSIONS,
}

ROLE_HELP = _("Le rôle décide des droits : l'utilisateur est placé dans le groupe de son rôle.")


def sync_role_groups(apps, schema_editor=None):
    """Create each role's group and give it exactly the permissions listed above (idempotent)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        group.permissions.set(permission_model.objects.filter(role_permissions_filter(role)))


def role_permissions_filter(role):
    """A filter on Permission for the role's list; a model of another app is spelled "app_label.model"."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for model, actions in ROLE_PERMISSIONS[role].items():
        app_label, _dot, model_name = model.rpartition(".")
        query |= Q(
            content_type__app_label=app_label or "cafcases",
            codename__in=[f"{action}_{model_name}" for action in actions],
        )
    return query


def sync_user_group(user):
    """Put the user in their role's group and in no other role group."""
    from django.contrib.auth.models import Group

    wanted = ROLE_GROUP_NAMES.get(user.role)
    role_groups = list(Group.objects.filter(name__in=ROLE_GROUP_NAMES.values()))
    user.groups.remove(*[group for group in role_groups if group.name != wanted])
    user.groups.add(*[group for group in role_groups if group.name == wanted])
