"""After a reply the agent is told, in one message, what happened to the customer's email:
sent, or not yet and queued for a retry. Django's generic "was changed successfully" does not
follow it; other edits keep it.

Transactional: the email is tried and the confirmation written once the save has committed,
which a test wrapped in one transaction never reaches.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from contact.models import Reply
from helpcenter.models import StaffPreferences
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "zhang@mail.example"


@pytest.fixture
def message():
    return ContactMessageFactory(brand=BrandFactory(slug="kdpay"), email=EMAIL)


def save(client: Client, message, **fields) -> list[tuple[str, str]]:
    """Post the change form as the Save button does; (level, text) of the messages shown after."""
    data = {"status": message.status, "assignee": "", "escalation": "0", "reply": "", "reply_kind": "staff"}
    url = reverse("admin:contact_contactmessage_change", args=[message.pk])
    response = client.post(url, {**data, **fields}, follow=True)
    assert response.status_code == 200
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_a_sent_reply_is_confirmed_with_the_address_and_nothing_else(agent, message):
    shown = save(agent, message, reply="请提供交易单号。")
    assert shown == [("success", f"已回复，并已发邮件给 {EMAIL}。")]
    assert mail.outbox[0].to == [EMAIL]


def test_a_reply_the_mail_server_refused_is_confirmed_as_queued_for_retry(agent, message, smtp_server_down):
    shown = save(agent, message, reply="请提供交易单号。")
    assert shown == [("warning", f"已回复。发给 {EMAIL} 的邮件暂时没能发出：已放入队列，会自动重试。")]
    reply = Reply.objects.get()
    assert reply.email_sent_at is None and reply.email_attempts == 1
    # The retry waits in the task queue for the worker.
    assert DBTaskResult.objects.filter(task_path="contact.tasks.send_reply_notification").count() == 1


def test_a_note_is_confirmed_as_staying_internal(agent, message):
    shown = save(agent, message, reply="先查一下", reply_kind="note")
    assert shown == [("success", "内部备注已保存。它只留在内部：客户看不到，也不会收到邮件。")]
    assert mail.outbox == []


def test_an_edit_without_a_reply_keeps_djangos_message(agent, message):
    shown = save(agent, message, status="in_progress")
    assert len(shown) == 1
    assert shown[0][0] == "success" and "成功修改" in shown[0][1]


def test_an_agent_who_reads_english_is_confirmed_in_english(django_user_model, message):
    user = django_user_model.objects.create_user("agent-en", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    StaffPreferences.objects.create(user=user, language="en")
    client = Client()
    client.force_login(user)
    assert save(client, message, reply="Please send the transaction number.") == [
        ("success", f"Replied, and emailed to {EMAIL}.")
    ]
