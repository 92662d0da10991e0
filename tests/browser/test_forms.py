"""The contact, status-lookup and scam-report forms on a phone: labels above fields, every invalid
field marked (red border, aria-invalid, an icon), no wallet chosen in advance, the password warning
kept after a failed submit, and suggested articles under the subject within the chosen topic."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import BrandFactory, CategoryFactory, make_article

pytestmark = pytest.mark.django_db(transaction=True)

RED = "rgb(168, 32, 26)"  # --danger


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.fixture
def wallets():
    BrandFactory(name="KDPAY", slug="kdpay")
    refunds = CategoryFactory(slug="refunds", name="退款", name_en="Refunds", order=1)
    withdrawals = CategoryFactory(slug="withdrawals", name="提现", name_en="Withdrawals", order=2)
    make_article(title="退款多久到账", slug="refund-timing", category=refunds)
    make_article(title="提现多久到账", slug="withdrawal-timing", category=withdrawals)


def _assert_marked_invalid(page: Page, selector: str) -> None:
    control = page.locator(selector)
    expect(control).to_have_attribute("aria-invalid", "true")
    assert control.evaluate("element => getComputedStyle(element).borderTopColor") == RED, selector
    field = page.locator(".field", has=control)
    expect(field.locator(".field__icon")).to_be_visible()


def _assert_labels_above_and_without_colon(page: Page) -> None:
    for label in page.locator("main form label[for]").all():
        if not label.is_visible():
            continue
        text = label.inner_text().strip()
        assert not text.endswith((":", "：")), text
        control = page.locator(f"#{label.get_attribute('for')}")
        label_box, control_box = label.bounding_box(), control.bounding_box()
        assert label_box["y"] + label_box["height"] <= control_box["y"] + 1, text


def test_contact_form_marks_every_invalid_field_and_keeps_the_password_warning(
    phone: Page, live_server, wallets
):
    phone.goto(live_server.url + "/contact/message/")
    # No wallet and no topic chosen in advance.
    expect(phone.get_by_label("钱包")).to_have_value("")
    expect(phone.get_by_label("问题类型")).to_have_value("")
    _assert_labels_above_and_without_colon(phone)
    phone.get_by_label("问题描述").fill("我的密码是 Abc12345，登录不了")
    expect(phone.get_by_text("这看起来像密码")).to_be_visible()
    phone.get_by_role("button", name="发送留言").click()

    expect(phone.get_by_text("请修改下方标出的内容。")).to_be_visible()
    for name in ("brand", "topic", "name", "email", "subject"):
        _assert_marked_invalid(phone, f"#id_{name}")
    expect(phone.get_by_text("请选择您要咨询的钱包。")).to_be_visible()
    # The text still holds a password: the warning is still there after the failed submit ...
    expect(phone.get_by_text("这看起来像密码")).to_be_visible()
    _assert_labels_above_and_without_colon(phone)
    # ... and goes when the password is removed.
    phone.get_by_label("问题描述").fill("登录不了")
    expect(phone.get_by_text("这看起来像密码")).to_have_count(0)


def test_suggestions_appear_under_the_subject_within_the_chosen_topic(phone: Page, live_server, wallets):
    phone.goto(live_server.url + "/contact/message/")
    phone.get_by_label("问题类型").select_option("withdrawals")
    phone.get_by_label("主题").fill("多久到账")
    suggestions = phone.locator("#suggestions")
    expect(suggestions.get_by_role("link", name="提现多久到账")).to_be_visible()
    expect(suggestions.get_by_role("link", name="退款多久到账")).to_have_count(0)
    subject = phone.get_by_label("主题").bounding_box()
    box = suggestions.bounding_box()
    send = phone.get_by_role("button", name="发送留言").bounding_box()
    assert subject["y"] < box["y"] < send["y"]
    assert box["y"] < phone.get_by_label("问题描述").bounding_box()["y"]
    # Another topic, other suggestions.
    phone.get_by_label("问题类型").select_option("refunds")
    expect(suggestions.get_by_role("link", name="退款多久到账")).to_be_visible()
    expect(suggestions.get_by_role("link", name="提现多久到账")).to_have_count(0)


def test_status_lookup_marks_both_fields(phone: Page, live_server):
    phone.goto(live_server.url + "/contact/status/")
    _assert_labels_above_and_without_colon(phone)
    phone.get_by_role("button", name="查看我的留言").click()
    _assert_marked_invalid(phone, "#id_reference")
    _assert_marked_invalid(phone, "#id_email")


def test_scam_report_marks_invalid_fields_and_names_96110(phone: Page, live_server, wallets):
    phone.goto(live_server.url + "/verify/report/")
    expect(phone.locator('a[href="tel:96110"]')).to_be_visible()
    _assert_labels_above_and_without_colon(phone)
    expect(phone.get_by_text("对方冒充的是哪个钱包？", exact=True)).to_be_visible()
    phone.get_by_role("button", name="提交举报").click()
    _assert_marked_invalid(phone, "#id_value")
    _assert_marked_invalid(phone, "#id_seen_where")
    _assert_labels_above_and_without_colon(phone)
