"""Emails to customers, sent by the database-backed task worker (`manage.py db_worker`).

Each task records its outcome on the row (sent time, attempts, last error) so the
admin shows what has not gone out, then re-raises on failure so the task result is
marked failed too. A failed send schedules itself again with a growing delay
(RETRY_DELAYS), so a mail server that is down for a while delays the email but
does not lose it; `manage.py contact_resend_emails` and the admin action enqueue
whatever is still unsent after that. A row already marked sent is never emailed twice.
"""

from __future__ import annotations

from datetime import timedelta

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


# Seconds to wait before each automatic retry of a failed email (about 10 hours in all).
RETRY_DELAYS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]


def _retry_later(email_task, *, attempts: int, args: tuple) -> bool:
    """Enqueue the same email again after the delay for this attempt; False when out of retries."""
    if attempts > len(RETRY_DELAYS) or not email_task.get_backend().supports_defer:
        return False
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempts - 1])
    email_task.using(run_after=run_after).enqueue(*args)
    return True


@task()
def send_message_confirmation(message_id: int, base_url: str) -> bool:
    """Email the reference and the private status link; False when it was already sent."""
    message = ContactMessage.objects.select_related("brand").get(pk=message_id)
    if message.confirmation_sent_at is not None:
        return False
    rows = ContactMessage.objects.filter(pk=message_id)
    # Nothing the visitor typed goes into this email (not even their name): anyone can enter
    # anyone's address, so free text here would be a stranger's message sent from our address.
    with translation.override(message.language):
        topic = message.get_topic_display()
    context = {"message": message, "topic": topic, "status_url": base_url.rstrip("/") + status_path(message)}
    try:
        _send(to=message.email, template="confirmation", context=context, language=message.language)
    except Exception as exc:
        rows.update(email_attempts=F("email_attempts") + 1, last_email_error=repr(exc)[:500])
        _retry_later(
            send_message_confirmation, attempts=message.email_attempts + 1, args=(message_id, base_url)
        )
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
        _retry_later(send_reply_notification, attempts=reply.email_attempts + 1, args=(reply_id, base_url))
        raise
    rows.update(email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1, last_email_error="")
    return True
