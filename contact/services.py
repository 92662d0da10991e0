"""Writes with side effects: creating messages and replies, rating, re-sending unsent email."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from brands.models import Brand
from helpcenter.uploads import store_upload

from .deflection import message_suggestions_record
from .images import CleanImage
from .inbox import set_status_times
from .models import Attachment, ContactMessage, Reply
from .sensitive import mask_sensitive

logger = logging.getLogger(__name__)

# Crockford's base32: digits and letters without I, L, O and U, so a reference read
# over the phone cannot be mistaken (and lookups map I/L to 1 and O to 0).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_ATTEMPTS = 8
# Staff read notes in whatever language they use; the names are what matters.
NOT_STORED_NOTE = "Attachments not stored (the file storage was unavailable): %(names)s"


class AlreadyRated(Exception):
    pass


def new_reference(brand: Brand) -> str:
    """KD-7F3K-9Q2M: two letters of the brand, then 40 random bits from `secrets`."""
    prefix = "".join(ch for ch in brand.slug.upper() if ch.isalnum())[:2] or "HC"
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def normalize_reference(value: str) -> str:
    """What a user typed as a reference, in canonical form (case, spaces, I/L/O typed for 1/1/0)."""
    text = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if len(text) < 3:
        return ""
    prefix, body = text[:2], text[2:].translate(str.maketrans("ILO", "110"))
    return f"{prefix}-{body[:4]}-{body[4:]}" if len(body) == 8 else ""


def _save_attachments(
    message: ContactMessage, images: list[CleanImage], reply: Reply | None = None
) -> list[str]:
    """Store each image; returns the names of those the storage refused (helpcenter/uploads.py:
    the message is kept without them, and staff get an internal note naming them)."""
    not_stored = []
    for image in images:
        attachment = Attachment(
            contact_message=message,
            reply=reply,
            original_name=image.original_name,
            content_type=image.content_type,
            size=len(image.content),
            width=image.width,
            height=image.height,
        )
        if store_upload(attachment.file, image.storage_name(), ContentFile(image.content)):
            attachment.save()
        else:
            not_stored.append(image.original_name)
    if not_stored:
        Reply.objects.create(
            contact_message=message,
            kind=Reply.Kind.NOTE,
            body=NOT_STORED_NOTE % {"names": ", ".join(not_stored)},
        )
    return not_stored


def _enqueue_confirmation(message_id: int, base_url: str) -> None:
    from .tasks import send_message_confirmation

    send_message_confirmation.enqueue(message_id, base_url)


def _enqueue_reply(reply_id: int, base_url: str) -> None:
    from .tasks import send_reply_notification

    send_reply_notification.enqueue(reply_id, base_url)


def _send_reply_now(reply_id: int, base_url: str) -> None:
    """Hand a staff reply to the mail server while the agent waits, so the inbox can say whether
    it went out. Not through the queue, so no worker sends the same email at the same time; on
    failure the task has recorded the error and queued its own retry (tasks.RETRY_DELAYS)."""
    from .tasks import send_reply_notification

    try:
        send_reply_notification.call(reply_id, base_url)
    except Exception:
        logger.warning("reply %s not emailed yet; its retry is queued", reply_id, exc_info=True)


def _insert_with_new_reference(message: ContactMessage) -> None:
    """Insert a new message under a random reference, drawing another on a (very unlikely) clash."""
    for attempt in range(REFERENCE_ATTEMPTS):
        message.reference = new_reference(message.brand)
        try:
            # A savepoint, so a duplicate reference leaves the outer transaction usable.
            with transaction.atomic():
                message.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
            message.pk = None


@transaction.atomic
def contact_message_create(
    *,
    brand: Brand,
    topic: str,
    name: str,
    email: str,
    subject: str,
    message: str,
    phone: str = "",
    account: str = "",
    transaction_reference: str = "",
    problem_at: datetime | None = None,
    images: list[CleanImage] = (),
    language: str = "zh-hans",
    base_url: str = "",
) -> ContactMessage:
    """Store a message (card and ID numbers masked) with its images; the confirmation email is
    enqueued only once the transaction has committed, so a mail failure can never lose it."""
    subject_typed = subject
    subject, subject_masked = mask_sensitive(subject)
    body, body_masked = mask_sensitive(message)
    account, account_masked = mask_sensitive(account)
    masked = list(dict.fromkeys([*subject_masked, *body_masked, *account_masked]))
    contact_message = ContactMessage(
        brand=brand,
        topic=topic,
        name=name,
        email=email,
        phone=phone,
        account=account,
        subject=subject,
        message=body,
        transaction_reference=transaction_reference,
        problem_at=problem_at,
        masked=",".join(masked),
        language=language,
    )
    _insert_with_new_reference(contact_message)
    message_suggestions_record(contact_message, subject=subject_typed, body=message)
    # Read by the view to tell the visitor which files were not saved.
    contact_message.not_stored = _save_attachments(contact_message, list(images))
    transaction.on_commit(lambda: _enqueue_confirmation(contact_message.pk, base_url))
    return contact_message


@transaction.atomic
def contact_followup_create(
    *, contact_message: ContactMessage, body: str, images: list[CleanImage] = ()
) -> tuple[Reply, list[str]]:
    """A follow-up from the customer, masked like the first message (returns the kinds masked);
    reopens a message that was waiting for the customer or resolved."""
    body, masked = mask_sensitive(body)
    reply = Reply.objects.create(contact_message=contact_message, kind=Reply.Kind.CUSTOMER, body=body)
    reply.not_stored = _save_attachments(contact_message, list(images), reply=reply)
    if contact_message.status in {ContactMessage.Status.WAITING, ContactMessage.Status.RESOLVED}:
        set_status_times(contact_message, ContactMessage.Status.IN_PROGRESS)
        contact_message.save(update_fields=["status", "resolved_at", "updated_at"])
    return reply, masked


@transaction.atomic
def contact_reply_create(
    *,
    contact_message: ContactMessage,
    author: AbstractBaseUser | None,
    body: str,
    kind: str = Reply.Kind.STAFF,
    status: str | None = None,
    base_url: str = "",
    send_now: bool = False,
) -> Reply:
    """A staff reply (emailed to the customer after commit and shown on their status page) or an internal note.

    `send_now` hands the email to the mail server in this process after commit (the inbox, whose
    agent is told the outcome) instead of queueing it for the worker.
    """
    reply = Reply.objects.create(contact_message=contact_message, kind=kind, author=author, body=body)
    changed = set_status_times(contact_message, status, reply if kind == Reply.Kind.STAFF else None)
    if changed:
        contact_message.save(update_fields=[*changed, "updated_at"])
    if kind == Reply.Kind.STAFF:
        send = _send_reply_now if send_now else _enqueue_reply
        transaction.on_commit(lambda: send(reply.pk, base_url))
    return reply


def contact_message_rate(*, contact_message: ContactMessage, rating: int, comment: str = "") -> None:
    """Record the customer's rating once, after the message is resolved (one UPDATE, race-free).

    Only a message support answered can be rated: one closed without a reply (a duplicate,
    spam) gave the customer nothing to rate.
    """
    answered = Reply.objects.filter(contact_message=OuterRef("pk"), kind=Reply.Kind.STAFF)
    updated = ContactMessage.objects.filter(
        Exists(answered),
        pk=contact_message.pk,
        rating__isnull=True,
        status__in=[ContactMessage.Status.RESOLVED, ContactMessage.Status.CLOSED],
    ).update(rating=rating, rating_comment=comment, rated_at=timezone.now())
    if not updated:
        raise AlreadyRated


def contact_emails_resend(*, base_url: str) -> int:
    """Enqueue again every confirmation and staff reply whose email has not been sent; returns how many."""
    message_ids = list(ContactMessage.objects.unsent_confirmations().values_list("pk", flat=True))
    reply_ids = list(
        Reply.objects.filter(kind=Reply.Kind.STAFF, email_sent_at__isnull=True).values_list("pk", flat=True)
    )
    for pk in message_ids:
        _enqueue_confirmation(pk, base_url)
    for pk in reply_ids:
        _enqueue_reply(pk, base_url)
    return len(message_ids) + len(reply_ids)
