from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contact.models import Attachment, ContactMessage, Reply
from contact.services import contact_message_create
from tests.factories import ContactMessageFactory
from tests.helpers import en_url, image_bytes

pytestmark = pytest.mark.django_db


def staff_in(group_name: str, django_user_model, username: str = "agent") -> Client:
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent(django_user_model) -> Client:
    return staff_in("Support agents", django_user_model)


@pytest.fixture
def editor(django_user_model) -> Client:
    return staff_in("Editors", django_user_model, "editor")


def change_url(message) -> str:
    return reverse("admin:contact_contactmessage_change", args=[message.pk])


LIST_URL = "admin:contact_contactmessage_changelist"


def test_agents_see_and_answer_messages(agent, kdpay, immediate_tasks, django_capture_on_commit_callbacks):
    message = ContactMessageFactory(
        brand=kdpay, email="zhang@mail.example", subject="退款没有到账", language="en"
    )
    assert agent.get(reverse(LIST_URL)).status_code == 200
    assert agent.get(change_url(message)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(
            change_url(message),
            {
                "status": "waiting",
                "assignee": "",
                "escalation": "0",
                "reply": "请提供交易单号。",
                "reply_kind": "staff",
                "replies-TOTAL_FORMS": "0",
                "replies-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.WAITING
    reply = message.replies.get()
    assert (reply.kind, reply.body) == (Reply.Kind.STAFF, "请提供交易单号。")
    assert reply.email_sent_at is not None
    assert mail.outbox[0].to == ["zhang@mail.example"]
    assert "请提供交易单号。" in mail.outbox[0].body
    # The customer sees it on their status page.
    customer = Client()
    customer.post(en_url("contact:status_lookup"), {"reference": message.reference, "email": message.email})
    page = customer.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert "请提供交易单号。" in page
    assert "Waiting for you" in page


def test_internal_note_is_not_emailed_or_shown(
    agent, kdpay, immediate_tasks, django_capture_on_commit_callbacks
):
    message = ContactMessageFactory(brand=kdpay)
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(
            change_url(message),
            {
                "status": "in_progress",
                "escalation": "1",
                "reply": "疑似诈骗，转风控",
                "reply_kind": "note",
                "replies-TOTAL_FORMS": "0",
                "replies-INITIAL_FORMS": "0",
            },
        )
    assert message.replies.get().kind == Reply.Kind.NOTE
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.escalation == ContactMessage.Escalation.ESCALATED


def test_editors_do_not_see_messages(editor, kdpay):
    message = ContactMessageFactory(brand=kdpay)
    assert editor.get(reverse(LIST_URL)).status_code == 403
    assert editor.get(change_url(message)).status_code == 403
    group = Group.objects.get(name="Editors")
    assert not group.permissions.filter(content_type__app_label="contact").exists()


def test_editors_cannot_open_attachments(editor, client, valid_data):
    client.post(en_url("contact:message_create"), {**valid_data, "attachments": [io.BytesIO(image_bytes())]})
    attachment = Attachment.objects.get()
    assert editor.get(en_url("contact:attachment", attachment.pk)).status_code == 404


def test_agents_can_view_attachments_from_the_admin(agent, kdpay):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contact.images import clean_image

    message = contact_message_create(
        brand=kdpay,
        topic="other",
        name="张三",
        email="z@mail.example",
        subject="截图",
        message="见附件",
        images=[clean_image(SimpleUploadedFile("s.png", image_bytes()))],
    )
    page = agent.get(change_url(message)).content.decode()
    url = message.attachments.get().get_absolute_url()
    assert f'src="{url}"' in page
    assert agent.get(url).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "resolved"}, ["KD-0000-0002"]),
        ({"escalation__exact": "2"}, ["KD-0000-0003"]),
        ({"age": "3"}, ["KD-0000-0001"]),
        ({"email_state": "unsent"}, ["KD-0000-0001", "KD-0000-0002"]),
        ({"q": "KD-0000-0002"}, ["KD-0000-0002"]),
        ({"q": "li@mail.example"}, ["KD-0000-0003"]),
        ({"q": "提现失败"}, ["KD-0000-0001"]),
    ],
)
@pytest.mark.usefixtures("frozen_clock")  # ages in days: a midnight must not pass mid-test
def test_inbox_filters_and_search(agent, kdpay, query, expected):
    ContactMessageFactory(
        brand=kdpay,
        reference="KD-0000-0001",
        message="提现失败",
        created_at=timezone.now() - timedelta(days=5),
    )
    ContactMessageFactory(brand=kdpay, reference="KD-0000-0002", status="resolved")
    ContactMessageFactory(
        brand=kdpay,
        reference="KD-0000-0003",
        email="li@mail.example",
        escalation=2,
        confirmation_sent_at=timezone.now(),
    )
    response = agent.get(reverse(LIST_URL), query)
    shown = sorted(m.reference for m in response.context["cl"].result_list)
    assert shown == expected


def test_csv_export_of_a_filtered_list(agent, kdpay):
    ContactMessageFactory(brand=kdpay, reference="KD-0000-0001", subject="=HYPERLINK(1)")
    ContactMessageFactory(brand=kdpay, reference="KD-0000-0002", subject="退款")
    response = agent.post(
        reverse(LIST_URL),
        {"action": "export_csv", "_selected_action": [m.pk for m in ContactMessage.objects.all()]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["reference", "created_at"]
    assert {row[0] for row in rows[1:]} == {"KD-0000-0001", "KD-0000-0002"}
    assert "'=HYPERLINK(1)" in [row[-1] for row in rows]


def test_assign_and_escalate_actions(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay)
    agent.post(reverse(LIST_URL), {"action": "assign_to_me", "_selected_action": [message.pk]})
    agent.post(reverse(LIST_URL), {"action": "escalate", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.assignee.username == "agent"
    assert message.escalation == ContactMessage.Escalation.ESCALATED


def test_admin_action_resends_unsent_emails(agent, kdpay, immediate_tasks):
    message = ContactMessageFactory(brand=kdpay, language="en")
    agent.post(reverse(LIST_URL), {"action": "resend_emails", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.confirmation_sent_at is not None
    assert message.reference in mail.outbox[0].subject


def test_staff_cannot_create_messages_by_hand(admin_client):
    assert admin_client.get(reverse("admin:contact_contactmessage_add")).status_code == 403


def test_channel_admin_shows_the_normalised_value(admin_client, kdpay):
    response = admin_client.post(
        reverse("admin:contact_channel_add"),
        {
            "brand": kdpay.pk,
            "kind": "hotline",
            "label": "热线 (demo)",
            "value": "400-000-0101",
            "good_for": "urgent",
            "order": 0,
            "is_active": "on",
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-INITIAL_FORMS": "0",
            "opening_hours-0-weekday": "0",
            "opening_hours-0-opens_at": "22:00",
            "opening_hours-0-closes_at": "00:00",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    channel = kdpay.channels.get()
    assert channel.normalized_value == "+864000000101"
    assert channel.opening_hours.get().closes_at.hour == 0


def test_channel_admin_refuses_an_invalid_phone(admin_client, kdpay):
    response = admin_client.post(
        reverse("admin:contact_channel_add"),
        {
            "brand": kdpay.pk,
            "kind": "hotline",
            "label": "热线",
            "value": "12345",
            "good_for": "urgent",
            "order": 0,
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors


@pytest.mark.usefixtures("frozen_clock")
def test_inbox_shows_each_message_age(agent, kdpay):
    ContactMessageFactory(brand=kdpay, created_at=timezone.now() - timedelta(days=5, hours=2))
    text = agent.get(reverse(LIST_URL)).content.decode()
    assert "等待时长" in text
    assert "5\xa0日" in text  # Django's own Chinese for "5 days"
