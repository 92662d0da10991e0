"""The verify page in Chromium: a whole pasted message is read, each contact shown as typed, known
scams and lookalikes in red, official contacts in green."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db(transaction=True)

RED = "rgb(168, 32, 26)"  # --danger
GREEN = "rgb(11, 107, 69)"  # --ok
MESSAGE = "【OKPay】客服电话：400-000-0101，您的账户异常，请登录 okpay-kefu.example/login 处理"


def _border(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).borderLeftColor")


def test_a_pasted_message_is_checked_contact_by_contact(page: Page, live_server, okpay):
    page.goto(live_server.url + "/verify/")
    page.get_by_label("电话号码、邮箱、链接或账号，或整条消息").fill(MESSAGE)
    page.get_by_role("button", name="核实").click()
    result = page.locator("#verify-result")
    # The verdict is the most dangerous contact's: the lookalike link, in red.
    expect(result.locator("#verify-result-title")).to_have_text("⛔ 仿冒的非官方渠道")
    verdict = result.locator(".verdict")
    expect(verdict.locator("code")).to_have_text("okpay-kefu.example/login")
    assert _border(verdict) == RED
    expect(verdict).not_to_contain_text("挂断")
    items = result.get_by_test_id("verdict-item")
    expect(items).to_have_count(2)
    # Each contact as the user typed it: 400-000-0101, not +864000000101.
    expect(items.nth(0).locator("code")).to_have_text("400-000-0101")
    expect(items.nth(0)).to_contain_text("官方渠道")
    assert _border(items.nth(0)) == GREEN
    expect(items.nth(1)).to_contain_text("仿冒的非官方渠道")
    assert _border(items.nth(1)) == RED


def test_a_number_one_digit_off_is_a_lookalike_in_red(page: Page, live_server, okpay):
    page.goto(live_server.url + "/verify/?value=400+000+0102")
    verdict = page.locator("#verify-result .verdict")
    expect(verdict.locator("h2")).to_have_text("⛔ 仿冒的非官方渠道")
    expect(verdict).to_contain_text("它看起来像 400 000 0101，但并不是。")
    expect(verdict.locator("code")).to_have_text("400 000 0102")
    assert _border(verdict) == RED


def test_official_email_is_green_and_the_advice_is_about_email(page: Page, live_server, okpay):
    ChannelFactory(brand=okpay, kind="email", label="OKPay 客服邮箱", value="help@okpay.example")
    page.goto(live_server.url + "/en/verify/?value=Help%40OKPay.example")
    verdict = page.locator("#verify-result .verdict")
    expect(verdict.locator("h2")).to_have_text("✅ Official")
    expect(verdict.locator("code")).to_have_text("Help@OKPay.example")
    expect(verdict).to_contain_text("write to this address yourself in a new message")
    expect(verdict).not_to_contain_text("hang up")
    assert _border(verdict) == GREEN
