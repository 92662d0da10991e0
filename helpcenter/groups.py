"""Staff groups made by data migrations (Editors, Support agents, Publishers)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions


def create_group(apps, name: str, permissions: list[tuple[str, str]]) -> None:
    """Create group `name` (historical models from `apps`) with `permissions` as (app, codename)."""
    # Permissions are normally created after all migrations ran; create them now
    # so the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    for app_label, codename in permissions:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
