"""A real SMTP server goes down and comes back: every message and reply is kept and emailed exactly once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from contact.models import ContactMessage, Reply
from contact.services import contact_message_create, contact_reply_create
from tests.factories import BrandFactory
from tests.smtp import Mailbox, start_smtp, stop_smtp

# The worker closes connections between tasks, so this test commits for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp_port(settings, smtp_server_down):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = "https://help.example"  # contact_resend_emails, as cron runs it
    return smtp_server_down


def _work() -> None:
    call_command("db_worker", batch=True, stdout=StringIO(), stderr=StringIO())


def test_mail_outage_loses_nothing_and_sends_nothing_twice(smtp_port):
    brand = BrandFactory(slug="kdpay")
    agent = User.objects.create_user("agent", is_staff=True)
    messages = [
        contact_message_create(
            brand=brand, topic="other", name=f"用户{n}", email=f"user{n}@mail.example",
            subject=f"提现问题 {n}", message="提现一直显示处理中。", base_url="https://help.example/",
        )
        for n in range(3)
    ]  # fmt: skip
    contact_reply_create(
        contact_message=messages[0], author=agent, body="已处理。", base_url="https://help.example/"
    )
    _work()  # the mail server is down: every send fails
    assert ContactMessage.objects.filter(confirmation_sent_at=None).count() == 3
    assert Reply.objects.get().email_sent_at is None and Reply.objects.get().last_email_error

    mailbox = Mailbox()
    server = start_smtp(smtp_port, mailbox)
    try:
        call_command("contact_resend_emails", stdout=StringIO())
        _work()
        call_command("contact_resend_emails", stdout=StringIO())  # a second cron run finds nothing
        _work()
    finally:
        stop_smtp(server)
    recipients = sorted(recipient for _, to, _ in mailbox.messages for recipient in to)
    assert recipients == [
        "user0@mail.example",
        "user0@mail.example",
        "user1@mail.example",
        "user2@mail.example",
    ]
    assert not ContactMessage.objects.filter(confirmation_sent_at=None).exists()
    assert Reply.objects.get().email_sent_at is not None
    assert any(messages[1].reference.encode() in data for _, _, data in mailbox.messages)
