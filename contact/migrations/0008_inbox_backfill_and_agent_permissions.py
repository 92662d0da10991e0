"""Existing messages get their first-response time from their first staff reply, and finished ones a
resolution time (their last update: the closest record there is); agents may keep saved replies."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F, Min, OuterRef, Subquery

SAVED_REPLY_PERMISSIONS = ["view_savedreply", "add_savedreply", "change_savedreply", "delete_savedreply"]


def backfill(apps, schema_editor):
    ContactMessage = apps.get_model("contact", "ContactMessage")
    Reply = apps.get_model("contact", "Reply")
    first = (
        Reply.objects.filter(contact_message=OuterRef("pk"), kind="staff")
        .values("contact_message")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    ContactMessage.objects.update(first_response_at=Subquery(first[:1]))
    ContactMessage.objects.filter(status__in=["resolved", "closed"]).update(resolved_at=F("updated_at"))


def grant_agents(apps, schema_editor):
    contact = apps.get_app_config("contact")
    # Permissions are normally created after the migrations ran: create these now.
    contact.models_module = True
    create_permissions(contact, apps=apps, verbosity=0)
    contact.models_module = None
    group = apps.get_model("auth", "Group").objects.get_or_create(name="Support agents")[0]
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="contact", codename__in=SAVED_REPLY_PERMISSIONS
    )
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("contact", "0007_inbox_times_saved_replies")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(grant_agents, migrations.RunPython.noop),
    ]
