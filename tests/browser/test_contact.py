from __future__ import annotations

from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from contact.models import Attachment, ContactMessage
from tests.factories import BrandFactory, CategoryFactory, ChannelFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contact_setup():
    kdpay = BrandFactory(name="KDPAY", slug="kdpay")
    CategoryFactory(slug="refunds", name="退款", name_en="Refunds")
    hotline = ChannelFactory(
        brand=kdpay,
        kind="hotline",
        label="KDPAY 客服热线 (demo)",
        value="400 000 0101",
        verified_at=date(2026, 11, 1),
    )
    for weekday in range(7):
        OpeningHoursFactory(channel=hotline, weekday=weekday, opens_at="00:00", closes_at="00:00")
    return kdpay


@pytest.fixture
def screenshot(tmp_path):
    path = tmp_path / "screenshot.png"
    Image.new("RGB", (320, 200), (40, 90, 200)).save(path)
    return path


def test_user_writes_with_a_screenshot_gets_a_reference_and_follows_the_message(
    page: Page, live_server, contact_setup, screenshot
):
    page.goto(live_server.url + "/contact/")
    expect(page.get_by_text("400 000 0101")).to_be_visible()
    expect(page.get_by_text("24 小时服务").first).to_be_visible()
    page.get_by_role("link", name="KDPAY 的服务时间和留言表单").click()
    page.get_by_role("link", name="给我们留言").click()

    expect(page.get_by_label("钱包")).to_have_value("kdpay")
    page.get_by_label("问题类型").select_option("refunds")
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("电子邮箱").fill("zhang+refund@mail.example")
    page.get_by_label("主题").fill("退款没有到账")
    page.get_by_label("问题描述").fill("三天前申请的退款还没到账。短信验证码 482913")
    # The warning arrives by htmx while typing.
    expect(page.get_by_text("这看起来像短信验证码")).to_be_visible()
    page.get_by_label("截图（选填）").set_input_files(str(screenshot))
    page.get_by_role("button", name="发送留言").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("留言已收到")
    reference = page.get_by_test_id("reference").inner_text()
    message = ContactMessage.objects.get()
    assert reference == message.reference
    assert Attachment.objects.get().content_type == "image/png"

    page.get_by_role("link", name="查看留言进度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"留言 {reference}")
    expect(page.get_by_test_id("status")).to_have_text("已收到")
    image = page.get_by_role("img", name="screenshot.png")
    expect(image).to_be_visible()
    # Visible is not loaded: on a busy machine the image's own request can still be running.
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 320


def test_status_lookup_without_javascript(browser, live_server, contact_setup):
    from tests.factories import ContactMessageFactory

    ContactMessageFactory(brand=contact_setup, reference="KD-7F3K-9Q2M", email="li@mail.example")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/contact/status/")
    page.get_by_label("留言编号").fill("kd-7f3k-9q2m")
    page.get_by_label("留言时填写的邮箱").fill("li@mail.example")
    page.get_by_role("button", name="查看我的留言").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("留言 KD-7F3K-9Q2M")
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_contact_pages_fit_a_phone_screen(browser, live_server, contact_setup, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ["/contact/", "/contact/kdpay/", "/contact/message/?brand=kdpay", "/contact/status/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    context.close()


def test_contact_form_works_without_javascript(browser, live_server, contact_setup, screenshot):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/contact/message/?brand=kdpay")
    page.get_by_label("问题类型").select_option("other")
    page.get_by_label("您的姓名").fill("李四")
    page.get_by_label("电子邮箱").fill("li@mail.example")
    page.get_by_label("主题").fill("账户被冻结")
    page.get_by_label("问题描述").fill("登录时提示账户已冻结。")
    page.get_by_label("截图（选填）").set_input_files(str(screenshot))
    page.get_by_role("button", name="发送留言").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("留言已收到")
    assert page.get_by_test_id("reference").inner_text() == ContactMessage.objects.get().reference
    context.close()
