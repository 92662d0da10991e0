"""Editors write alternative questions, review suggested ones and read direct-answer votes."""

from __future__ import annotations

from django.db import migrations

from helpcenter.groups import create_group

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
    create_group(apps, "Editors", EDITOR_PERMISSIONS)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        codenames = [codename for _, codename in EDITOR_PERMISSIONS]
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="faq", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("faq", "0008_alternative_questions_and_answers"), ("faq", "0002_editors_group")]

    operations = [migrations.RunPython(grant, revoke)]
