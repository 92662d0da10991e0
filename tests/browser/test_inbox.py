"""An agent answers a customer's message with a saved reply, in Chromium, and is told it went out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from playwright.sync_api import Page, expect

from contact.saved_replies import SavedReply
from tests.factories import BrandFactory, ContactMessageFactory
from tests.helpers import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "agent-pass-123"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_an_agent_answers_with_a_saved_reply_and_sees_the_confirmation(page: Page, live_server):
    agent = User.objects.create_user("agent", password=PASSWORD, is_staff=True)
    agent.groups.add(Group.objects.get(name="Support agents"))
    brand = BrandFactory(slug="kdpay", name="KDPAY")
    message = ContactMessageFactory(
        brand=brand, topic="refunds", email="zhang@mail.example", message="我的退款还没到账。"
    )
    SavedReply.objects.create(
        title="退款处理中", brand=brand, topic="refunds", body="退款将在三个工作日内到账。"
    )

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/contact/contactmessage/{message.pk}/change/")
    page.select_option("#id_saved_reply", label="退款处理中")
    # The script puts the saved text in the empty box, where the agent can still edit it.
    expect(page.locator("#id_reply")).to_have_value("退款将在三个工作日内到账。")
    page.fill("#id_reply", "退款将在三个工作日内到账。如有问题请回复。")
    page.click("input[name=_continue]")

    expect(page.locator(".messagelist")).to_contain_text("已回复，并已发邮件给 zhang@mail.example。")
    expect(page.locator(".inbox-entry--staff")).to_contain_text("如有问题请回复。")
    assert mail.outbox[0].to == ["zhang@mail.example"]
