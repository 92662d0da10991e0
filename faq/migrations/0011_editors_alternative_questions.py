"""Editors and Publishers write alternative questions, review suggested ones and read direct-answer
votes."""

from __future__ import annotations

from django.db import migrations

from helpcenter.groups import create_group

PERMISSIONS = [
    ("faq", "add_alternativequestion"),
    ("faq", "change_alternativequestion"),
    ("faq", "delete_alternativequestion"),
    ("faq", "view_alternativequestion"),
    ("faq", "change_questionsuggestion"),
    ("faq", "view_questionsuggestion"),
    ("faq", "view_answerfeedback"),
]


GROUPS = ["Editors", "Publishers"]


def grant(apps, schema_editor):
    for name in GROUPS:
        create_group(apps, name, PERMISSIONS)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = [codename for _, codename in PERMISSIONS]
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="faq", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("faq", "0010_alternative_questions_and_answers"), ("faq", "0009_publishers_group")]

    operations = [migrations.RunPython(grant, revoke)]
