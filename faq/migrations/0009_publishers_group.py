"""Create the "Publishers" group: they review what Editors submit and publish it (faq/workflow.py)."""

from __future__ import annotations

from importlib import import_module

from django.db import migrations

from helpcenter.groups import create_group

# What Editors may do, and publishing.
PUBLISHER_PERMISSIONS = [
    *import_module("faq.migrations.0002_editors_group").EDITOR_PERMISSIONS,
    ("faq", "publish_article"),
]


def create_publishers_group(apps, schema_editor):
    create_group(apps, "Publishers", PUBLISHER_PERMISSIONS)


def delete_publishers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0008_review_and_content_date"),
        ("brands", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_publishers_group, delete_publishers_group)]
