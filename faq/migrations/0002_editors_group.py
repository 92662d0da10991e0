"""Create the "Editors" group: staff who write and publish articles, and nothing else."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("faq", "add_article"),
    ("faq", "change_article"),
    ("faq", "delete_article"),
    ("faq", "view_article"),
    ("faq", "view_category"),
    ("faq", "add_tag"),
    ("faq", "change_tag"),
    ("faq", "view_tag"),
    ("faq", "view_articlefeedback"),
    ("brands", "view_brand"),
]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now
    # so the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0001_initial"),
        ("brands", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
