"""Create the "Editors" group: staff who write and publish articles, and nothing else."""

from __future__ import annotations

from django.db import migrations

from helpcenter.groups import create_group

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
    create_group(apps, "Editors", EDITOR_PERMISSIONS)


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
