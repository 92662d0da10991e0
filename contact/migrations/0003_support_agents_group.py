"""Create the "Support agents" group: staff who see and answer contact messages."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT_PERMISSIONS = [
    ("contact", "view_contactmessage"),
    ("contact", "change_contactmessage"),
    ("contact", "view_reply"),
    ("contact", "add_reply"),
    ("contact", "view_attachment"),
    ("contact", "view_channel"),
    ("contact", "view_openinghours"),
    ("contact", "view_channelexception"),
    ("brands", "view_brand"),
]


def create_agents_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now
    # so the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Support agents")
    for app_label, codename in AGENT_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_agents_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Support agents").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0002_drop_token_hash"),
        ("brands", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_agents_group, delete_agents_group)]
