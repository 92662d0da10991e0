"""Editors write alternative questions, review suggested ones and read direct-answer votes."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("faq", "add_alternativequestion"),
    ("faq", "change_alternativequestion"),
    ("faq", "delete_alternativequestion"),
    ("faq", "view_alternativequestion"),
    ("faq", "change_questionsuggestion"),
    ("faq", "view_questionsuggestion"),
    ("faq", "view_answerfeedback"),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran (see 0002_editors_group).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        codenames = [codename for _, codename in EDITOR_PERMISSIONS]
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="faq", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("faq", "0008_alternative_questions_and_answers"), ("faq", "0002_editors_group")]

    operations = [migrations.RunPython(grant, revoke)]
