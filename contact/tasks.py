"""Emails to customers, sent by the database-backed task worker (`manage.py db_worker`).

Each task records its outcome on the row (sent time, attempts, last error) so the
admin shows what has not gone out, then re-raises on failure so the task result is
marked failed too. `manage.py contact_resend_emails` and the admin action enqueue
the unsent ones again; a row already marked sent is never emailed twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .links import status_path
from .models import ContactMessage, Reply


def _send(*, to: str, template: str, context: dict, language: str) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"contact/email/{template}_subject.txt", context).split())
        body = render_to_string(f"contact/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def send_message_confirmation(message_id: int, base_url: str) -> bool:
    """Email the reference and the private status link; False when it was already sent."""
    message = ContactMessage.objects.select_related("brand").get(pk=message_id)
    if message.confirmation_sent_at is not None:
        return False
    rows = ContactMessage.objects.filter(pk=message_id)
    context = {"message": message, "status_url": base_url.rstrip("/") + status_path(message)}
    try:
        _send(to=message.email, template="confirmation", context=context, language=message.language)
    except Exception as exc:
        rows.update(email_attempts=F("email_attempts") + 1, last_email_error=repr(exc)[:500])
        raise
    rows.update(
        confirmation_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1, last_email_error=""
    )
    return True


@task()
def send_reply_notification(reply_id: int, base_url: str) -> bool:
    """Email a staff reply to the customer with the private link; False when it was already sent."""
    reply = Reply.objects.select_related("contact_message__brand").get(pk=reply_id)
    if reply.email_sent_at is not None or reply.kind != Reply.Kind.STAFF:
        return False
    message = reply.contact_message
    rows = Reply.objects.filter(pk=reply_id)
    context = {"message": message, "reply": reply, "status_url": base_url.rstrip("/") + status_path(message)}
    try:
        _send(to=message.email, template="reply", context=context, language=message.language)
    except Exception as exc:
        rows.update(email_attempts=F("email_attempts") + 1, last_email_error=repr(exc)[:500])
        raise
    rows.update(email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1, last_email_error="")
    return True
