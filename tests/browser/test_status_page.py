"""The customer's status page speaks of the message, not of opening hours, and never asks to rate
a message nobody answered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contact.models import ContactMessage
from contact.services import contact_reply_create
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _open_status_page(page: Page, live_server, message) -> None:
    page.goto(live_server.url + "/contact/status/")
    page.get_by_label("留言编号").fill(message.reference)
    page.get_by_label("留言时填写的邮箱").fill(message.email)
    page.get_by_role("button", name="查看我的留言").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"留言 {message.reference}")


def test_message_closed_without_a_reply(page: Page, live_server):
    message = ContactMessageFactory(
        brand=BrandFactory(name="KDPAY", slug="kdpay"),
        reference="KD-7F3K-9Q2M",
        email="li@mail.example",
        status=ContactMessage.Status.CLOSED,
    )
    _open_status_page(page, live_server, message)
    expect(page.get_by_test_id("status")).to_have_text("已关闭")
    expect(page.get_by_test_id("status-explained")).to_contain_text("没有书面回复")
    expect(page.get_by_text("休息中")).to_have_count(0)
    expect(page.get_by_text("暂无回复")).to_have_count(0)
    expect(page.get_by_role("heading", name="评价我们的服务")).to_have_count(0)
    expect(page.get_by_role("link", name="仍需帮助？重新留言")).to_have_attribute(
        "href", "/contact/message/?brand=kdpay"
    )


def test_answered_message_shows_the_reply_then_asks_for_a_rating(page: Page, live_server, admin_user):
    message = ContactMessageFactory(
        brand=BrandFactory(name="KDPAY", slug="kdpay"), reference="KD-AAAA-BBBB", email="li@mail.example"
    )
    contact_reply_create(
        contact_message=message,
        author=admin_user,
        body="退款已重新发起。",
        status=ContactMessage.Status.RESOLVED,
    )
    _open_status_page(page, live_server, message)
    expect(page.get_by_test_id("status")).to_have_text("已解决")
    expect(page.get_by_text("退款已重新发起。")).to_be_visible()
    expect(page.get_by_role("heading", name="评价我们的服务")).to_be_visible()
