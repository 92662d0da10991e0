"""Create the "Publishers" group: they review what Editors submit and publish it (faq/workflow.py)."""

from __future__ import annotations

from django.db import migrations

from helpcenter.groups import create_group

PUBLISHER_PERMISSIONS = [
    ("faq", "add_article"),
    ("faq", "change_article"),
    ("faq", "delete_article"),
    ("faq", "view_article"),
    ("faq", "publish_article"),
    ("faq", "view_category"),
    ("faq", "add_tag"),
    ("faq", "change_tag"),
    ("faq", "view_tag"),
    ("faq", "view_articlefeedback"),
    ("brands", "view_brand"),
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
