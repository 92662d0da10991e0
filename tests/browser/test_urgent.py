"""The emergency path on a phone: a frozen account, a lost phone or a scam reaches the official
urgent channel from the first screen, with its live status and a link that calls or opens the chat."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# A Tuesday evening in Beijing: KDPAY's hotline is 24/7, K豆's hotline closed (09:00-18:00
# on working days) while its chat is open until 22:00, OKPay's chat open until 23:00.
TUESDAY_EVENING = datetime(2026, 12, 1, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# brand slug -> (the urgent channel's link as the demo data sets it, its status at TUESDAY_EVENING)
URGENT = {
    "kdpay": ("tel:+864000000101", "24 小时服务"),
    "kdou": ("tel:+864000000202", "休息中，明天 09:00 开始服务"),
    "okpay": ("https://help.okpay.example/chat", "服务中，23:00 结束"),
}


@pytest.fixture
def demo_evening():
    call_command("load_demo", verbosity=0)
    with time_machine.travel(TUESDAY_EVENING, tick=True):
        yield


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _in_first_screen(page: Page, locator) -> None:
    """Visible without scrolling: the element's box lies inside the phone's first screen."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE["height"], (locator, box)


@pytest.mark.parametrize("slug", sorted(URGENT))
def test_brand_page_shows_its_urgent_channel_in_the_first_phone_screen(
    phone: Page, live_server, demo_evening, slug
):
    href, status = URGENT[slug]
    phone.goto(f"{live_server.url}/b/{slug}/")
    block = phone.get_by_role("region", name="账户被冻结、手机丢失、被骗了？")
    _in_first_screen(phone, block.get_by_role("heading", name="账户被冻结、手机丢失、被骗了？"))
    link = block.locator(f'a[href="{href}"]')
    _in_first_screen(phone, link)
    _in_first_screen(phone, block.locator(".channel-status", has_text=status))
    # The brand page's way to every channel is that brand's own contact page.
    expect(block.get_by_role("link", name="全部客服渠道")).to_have_attribute("href", f"/contact/{slug}/")
    expect(
        phone.get_by_role("navigation", name="主导航").get_by_role("link", name="联系客服")
    ).to_have_attribute("href", f"/contact/{slug}/")


def test_home_page_shortcuts_reach_every_brands_urgent_channel_in_the_first_phone_screen(
    phone: Page, live_server, demo_evening
):
    phone.goto(live_server.url + "/")
    block = phone.get_by_role("region", name="账户被冻结、手机丢失、被骗了？")
    for slug, (href, status) in URGENT.items():
        row = block.get_by_test_id(f"urgent-{slug}")
        _in_first_screen(phone, row.locator(f'a[href="{href}"]'))
        expect(row.locator(".channel-status")).to_contain_text(status)
    # K豆's hotline is closed in the evening: its chat, open now, is offered beside it.
    expect(block.get_by_test_id("urgent-kdou").get_by_role("link", name="K豆在线客服")).to_have_attribute(
        "href", "https://chat.kdou.example/"
    )
    _in_first_screen(phone, block.locator('a[href="tel:96110"]'))


def test_english_home_page_shortcuts_are_in_english(phone: Page, live_server, demo_evening):
    phone.goto(live_server.url + "/en/")
    block = phone.get_by_role("region", name="Account frozen, phone lost or stolen, scammed?")
    _in_first_screen(phone, block.get_by_role("link", name="Call 400 000 0101"))
    _in_first_screen(phone, block.get_by_role("link", name="Open the online chat"))
    expect(block.get_by_test_id("urgent-okpay").locator(".channel-status")).to_have_text(
        "Open now, closes at 23:00 (Beijing time)"
    )


def test_contact_pages_list_the_urgent_channel_first(phone: Page, live_server, demo_evening):
    # OKPay's urgent chat comes before its 48-hour email, although the email is listed first in the admin.
    phone.goto(live_server.url + "/contact/okpay/")
    first_card = phone.locator("#channels .channel-card").first
    expect(first_card.get_by_role("heading")).to_have_text("OKPay 在线客服")
    expect(first_card.get_by_text("紧急问题首选")).to_be_visible()
    # On /contact/ (every brand, a long page) the shortcuts come first.
    phone.goto(live_server.url + "/contact/")
    for href, _status in URGENT.values():
        _in_first_screen(phone, phone.locator(f'.urgent-help a[href="{href}"]'))
