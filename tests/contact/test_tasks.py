"""Email goes out through the task worker; a mail server failure never loses a message."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.models import ContactMessage, Reply
from contact.services import contact_reply_create
from tests.helpers import IMMEDIATE_TASKS, en_url

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_down(settings, smtp_server_down):
    settings.SITE_URL = "https://help.example"  # contact_resend_emails, as cron runs it
    return settings


def submit(client, data, capture):
    with capture(execute=True):
        response = client.post(en_url("contact:message_create"), data)
    assert response.status_code == 302
    return ContactMessage.objects.get()


def mail_server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_message_is_saved_when_the_mail_server_is_down_and_sent_on_retry(
    client, valid_data, smtp_down, django_capture_on_commit_callbacks
):
    smtp_down.TASKS = IMMEDIATE_TASKS
    message = submit(client, valid_data, django_capture_on_commit_callbacks)
    # The user still got their confirmation page.
    assert message.reference in client.get(en_url("contact:message_sent")).content.decode()
    message.refresh_from_db()
    assert message.confirmation_sent_at is None
    assert message.email_attempts == 1
    assert "Connection refused" in message.last_email_error

    mail_server_back(smtp_down)
    call_command("contact_resend_emails", base_url="https://help.example/", stdout=StringIO())
    message.refresh_from_db()
    assert message.confirmation_sent_at is not None
    assert (message.email_attempts, message.last_email_error) == (2, "")
    assert len(mail.outbox) == 1
    assert "https://help.example/en/contact/status/" + message.reference in mail.outbox[0].body

    # Sent once: a second retry run sends nothing.
    call_command("contact_resend_emails", stdout=StringIO())
    assert len(mail.outbox) == 1


# The worker closes connections between tasks (close_old_connections), which would end a
# test wrapped in a transaction: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_real_enqueue_path_through_the_database_worker(
    client, valid_data, smtp_down, django_capture_on_commit_callbacks
):
    smtp_down.TASKS = DB_TASKS
    message = submit(client, valid_data, django_capture_on_commit_callbacks)
    # Nothing is sent inside the request: the task waits in the database.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "contact.tasks.send_message_confirmation"
    assert queued.status == "READY"

    call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())
    queued.refresh_from_db()
    message.refresh_from_db()
    assert queued.status == "FAILED"
    assert message.confirmation_sent_at is None and message.last_email_error

    mail_server_back(smtp_down)
    call_command("contact_resend_emails", stdout=StringIO())
    call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())
    message.refresh_from_db()
    assert message.confirmation_sent_at is not None
    assert [m.to for m in mail.outbox] == [[valid_data["email"]]]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_staff_reply_is_emailed_after_commit_and_retried(
    client, valid_data, smtp_down, django_capture_on_commit_callbacks, admin_user
):
    smtp_down.TASKS = IMMEDIATE_TASKS
    mail_server_back(smtp_down)
    message = submit(client, valid_data, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        reply = contact_reply_create(
            contact_message=message,
            author=admin_user,
            body="退款已重新发起。",
            base_url="https://help.example/",
        )
    reply.refresh_from_db()
    assert reply.email_sent_at is None and reply.last_email_error
    mail_server_back(smtp_down)
    call_command("contact_resend_emails", stdout=StringIO())
    reply.refresh_from_db()
    assert reply.email_sent_at is not None
    assert "退款已重新发起。" in mail.outbox[0].body
    assert message.reference in mail.outbox[0].subject


def test_internal_notes_are_never_emailed(
    valid_data, kdpay, immediate_tasks, admin_user, django_capture_on_commit_callbacks
):
    from tests.factories import ContactMessageFactory

    message = ContactMessageFactory(brand=kdpay, confirmation_sent_at="2026-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        contact_reply_create(contact_message=message, author=admin_user, body="内部", kind=Reply.Kind.NOTE)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_failed_email_retries_itself_later_without_staff_action(
    client, valid_data, smtp_down, django_capture_on_commit_callbacks
):
    smtp_down.TASKS = DB_TASKS
    message = submit(client, valid_data, django_capture_on_commit_callbacks)
    call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after is not None and retry.run_after > timezone.now()

    # Running the worker again before the retry is due sends nothing.
    mail_server_back(smtp_down)
    call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())
    assert mail.outbox == []

    with time_machine.travel(retry.run_after + timedelta(seconds=1)):
        call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())
    message.refresh_from_db()
    assert message.confirmation_sent_at is not None and message.email_attempts == 2
    assert [m.to for m in mail.outbox] == [[valid_data["email"]]]


def test_a_confirmation_links_to_the_site_url_whatever_host_the_request_named(
    client, settings, valid_data, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://help.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en_url("contact:message_create"), valid_data, headers={"host": "testserver"})
    assert response.status_code == 302
    [email] = mail.outbox
    reference = ContactMessage.objects.get().reference
    assert f"https://help.example.com/en/contact/status/{reference}" in email.body
    assert "testserver" not in email.body
