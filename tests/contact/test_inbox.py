"""The inbox as an agent uses it: the conversation in order with the reply box last, words not
codes, times with their zone, a clear confirmation, saved replies, response times and the
"waiting for" filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from contact.models import ContactMessage, Reply
from contact.saved_replies import SavedReply
from contact.services import contact_followup_create, contact_reply_create
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:contact_contactmessage_changelist")
RECEIVED = datetime(2026, 12, 1, 14, 2, tzinfo=UTC)


@pytest.fixture
def agent_user(django_user_model):
    user = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    return user


@pytest.fixture
def agent(agent_user) -> Client:
    client = Client()
    client.force_login(agent_user)
    return client


def change_url(message) -> str:
    return reverse("admin:contact_contactmessage_change", args=[message.pk])


def page_of(client: Client, message) -> str:
    return client.get(change_url(message)).content.decode()


def post_reply(client: Client, message, **fields):
    data = {"status": message.status, "assignee": "", "escalation": "0", "reply": "", "reply_kind": "staff"}
    return client.post(change_url(message), {**data, **fields}, follow=True)


def reply(message, kind, body, at, author=None) -> Reply:
    return Reply.objects.create(contact_message=message, kind=kind, body=body, created_at=at, author=author)


# --- The conversation in time order, the reply box at its end ---------------------------------


def test_the_conversation_reads_in_time_order_with_the_reply_box_last(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, message="第一句：退款没到。", created_at=RECEIVED)
    # Created out of order: the page orders by time, not by insertion.
    reply(message, Reply.Kind.CUSTOMER, "第三句：还是没到。", RECEIVED + timedelta(hours=2))
    reply(message, Reply.Kind.STAFF, "第二句：请稍等。", RECEIVED + timedelta(hours=1))
    page = page_of(agent, message)
    positions = [page.index(text) for text in ["第一句", "第二句", "第三句", 'name="reply"']]
    assert positions == sorted(positions)


def test_internal_notes_are_marked_as_such_in_the_conversation(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay)
    reply(message, Reply.Kind.NOTE, "客户是老用户", RECEIVED)
    page = page_of(agent, message)
    assert 'class="inbox-entry inbox-entry--note"' in page


# --- Words, not codes --------------------------------------------------------------------------


def test_the_list_shows_topic_and_language_as_words(agent, kdpay):
    ContactMessageFactory(brand=kdpay, topic="security", language="zh-hans")
    page = agent.get(LIST_URL).content.decode()
    assert '<td class="field-topic">安全</td>' in page
    assert '<td class="field-language_name">简体中文</td>' in page


def test_the_message_page_shows_the_language_as_a_word(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, language="en")
    page = page_of(agent, message)
    assert '<div class="readonly">English</div>' in page


# --- Times in the staff member's zone, the zone written -----------------------------------------


def test_reply_times_are_local_with_the_zone_shown(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    reply(message, Reply.Kind.STAFF, "您好", RECEIVED)
    page = page_of(agent, message)
    assert "<time>2026-12-01 22:02 Asia/Shanghai UTC+08:00</time>" in page


def test_the_received_time_is_local_with_the_zone_shown(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    page = page_of(agent, message)
    assert '<div class="readonly">2026-12-01 22:02 Asia/Shanghai UTC+08:00</div>' in page


def test_no_time_on_the_page_is_written_in_utc(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    reply(message, Reply.Kind.STAFF, "您好", RECEIVED)
    page = page_of(agent, message)
    assert "14:02" not in page


# --- Saved replies -------------------------------------------------------------------------------


def test_saved_replies_offered_are_those_of_the_brand_and_topic(kdpay):
    other = BrandFactory(slug="other")
    message = ContactMessageFactory(brand=kdpay, topic="refunds")
    SavedReply.objects.create(title="退款-本品牌", brand=kdpay, topic="refunds", body="a")
    SavedReply.objects.create(title="通用", brand=None, topic="", body="b")
    SavedReply.objects.create(title="退款-别的品牌", brand=other, topic="refunds", body="c")
    SavedReply.objects.create(title="安全-本品牌", brand=kdpay, topic="security", body="d")
    SavedReply.objects.create(title="停用", brand=kdpay, topic="refunds", body="e", is_active=False)
    titles = {s.title for s in SavedReply.objects.for_message(message)}
    assert titles == {"通用", "退款-本品牌"}


def test_a_saved_reply_is_sent_when_the_box_is_empty(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, topic="refunds")
    saved = SavedReply.objects.create(
        title="退款处理中", brand=kdpay, topic="refunds", body="退款将在三个工作日内到账。"
    )
    post_reply(agent, message, saved_reply=str(saved.pk))
    assert message.replies.get().body == "退款将在三个工作日内到账。"


def test_what_the_agent_typed_wins_over_the_saved_reply(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, topic="refunds")
    saved = SavedReply.objects.create(title="退款处理中", brand=kdpay, topic="refunds", body="模板")
    post_reply(agent, message, saved_reply=str(saved.pk), reply="我改过的回复")
    assert message.replies.get().body == "我改过的回复"


def test_the_picker_carries_each_saved_text_for_the_script(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, topic="refunds")
    SavedReply.objects.create(title="退款处理中", brand=kdpay, topic="refunds", body="三个工作日")
    page = page_of(agent, message)
    assert 'data-body="三个工作日"' in page


def test_a_saved_reply_of_another_brand_is_refused(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, topic="refunds")
    saved = SavedReply.objects.create(
        title="x", brand=BrandFactory(slug="other"), topic="refunds", body="别家"
    )
    response = post_reply(agent, message, saved_reply=str(saved.pk))
    assert response.status_code == 200
    assert message.replies.count() == 0


def test_agents_can_write_saved_replies(agent, kdpay):
    response = agent.post(
        reverse("admin:contact_savedreply_add"),
        {
            "title": "转账问题",
            "brand": kdpay.pk,
            "topic": "payments",
            "body": "请提供转账截图。",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert SavedReply.objects.get().title == "转账问题"


# --- First-response and resolution times --------------------------------------------------------


def test_the_first_staff_reply_sets_the_first_response_time(kdpay, agent_user):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    with time_machine.travel(RECEIVED + timedelta(hours=3), tick=False):
        contact_reply_create(contact_message=message, author=agent_user, body="在查", kind=Reply.Kind.NOTE)
    with time_machine.travel(RECEIVED + timedelta(hours=5), tick=False):
        contact_reply_create(contact_message=message, author=agent_user, body="您好")
    with time_machine.travel(RECEIVED + timedelta(hours=9), tick=False):
        contact_reply_create(contact_message=message, author=agent_user, body="还有吗")
    message.refresh_from_db()
    assert message.first_response_at == RECEIVED + timedelta(hours=5)


def test_resolving_sets_the_resolution_time(kdpay, agent_user):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    with time_machine.travel(RECEIVED + timedelta(days=1), tick=False):
        contact_reply_create(contact_message=message, author=agent_user, body="已解决", status="resolved")
    message.refresh_from_db()
    assert message.resolved_at == RECEIVED + timedelta(days=1)


def test_a_customer_follow_up_reopens_and_clears_the_resolution_time(kdpay, agent_user):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    contact_reply_create(contact_message=message, author=agent_user, body="已解决", status="resolved")
    contact_followup_create(contact_message=message, body="还是不行")
    message.refresh_from_db()
    assert message.resolved_at is None


def test_resolving_in_the_admin_form_sets_the_resolution_time(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    with time_machine.travel(RECEIVED + timedelta(hours=2), tick=False):
        post_reply(agent, message, status="resolved")
    message.refresh_from_db()
    assert message.resolved_at == RECEIVED + timedelta(hours=2)


def test_the_resolve_action_sets_the_resolution_time(agent, kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    with time_machine.travel(RECEIVED + timedelta(hours=4), tick=False):
        agent.post(LIST_URL, {"action": "mark_resolved", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.resolved_at == RECEIVED + timedelta(hours=4)


def test_the_list_shows_first_response_and_resolution_times(agent, kdpay):
    ContactMessageFactory(
        brand=kdpay,
        created_at=RECEIVED,
        first_response_at=RECEIVED + timedelta(hours=3, minutes=5),
        resolved_at=RECEIVED + timedelta(days=2),
        status="resolved",
    )
    page = agent.get(LIST_URL).content.decode()
    assert '<td class="field-first_response_time">3\xa0小时，5\xa0分钟</td>' in page
    assert '<td class="field-resolution_time">2\xa0日</td>' in page


# --- Waiting for us / for the customer ----------------------------------------------------------


@pytest.fixture
def waiting_messages(kdpay):
    def message(ref, status="in_progress", *kinds):
        m = ContactMessageFactory(brand=kdpay, reference=ref, status=status, created_at=RECEIVED)
        for i, kind in enumerate(kinds, start=1):
            reply(m, kind, "…", RECEIVED + timedelta(hours=i))
        return m

    message("NEW", "received")
    message("CUSTOMER-LAST", "in_progress", Reply.Kind.STAFF, Reply.Kind.CUSTOMER)
    message("STAFF-LAST", "waiting", Reply.Kind.CUSTOMER, Reply.Kind.STAFF)
    message("NOTE-AFTER-STAFF", "waiting", Reply.Kind.STAFF, Reply.Kind.NOTE)
    message("NOTE-ONLY", "in_progress", Reply.Kind.NOTE)
    message("RESOLVED", "resolved", Reply.Kind.CUSTOMER)


def references(queryset) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


def test_waiting_for_us_is_where_the_customer_spoke_last(waiting_messages):
    assert references(ContactMessage.objects.waiting_for_us()) == {"NEW", "CUSTOMER-LAST", "NOTE-ONLY"}


def test_waiting_for_the_customer_is_where_staff_spoke_last(waiting_messages):
    assert references(ContactMessage.objects.waiting_for_customer()) == {"STAFF-LAST", "NOTE-AFTER-STAFF"}


def test_the_list_filters_waiting_for_us(agent, waiting_messages):
    response = agent.get(LIST_URL, {"waiting": "us"})
    assert {m.reference for m in response.context["cl"].result_list} == {"NEW", "CUSTOMER-LAST", "NOTE-ONLY"}


def test_the_list_filters_waiting_for_the_customer(agent, waiting_messages):
    response = agent.get(LIST_URL, {"waiting": "customer"})
    assert {m.reference for m in response.context["cl"].result_list} == {"STAFF-LAST", "NOTE-AFTER-STAFF"}


def test_an_answer_within_the_minute_reads_as_under_a_minute():
    from django.utils import translation

    from contact.inbox import duration_since

    with translation.override("zh-hans"):
        assert duration_since(RECEIVED, RECEIVED + timedelta(seconds=30)) == "不到 1 分钟"
