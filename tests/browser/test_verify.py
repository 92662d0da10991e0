"""Browser tests of the verify page, the scam report and the Content Security Policy in a real Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import ArticleFactory
from trust.models import ConfirmedScam, ScamReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Console messages Chromium logs when the Content Security Policy blocks something."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def test_pasting_a_scam_link_shows_the_warning_and_the_real_channels(
    page: Page, live_server, okpay, csp_violations
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="核实联系方式").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("这是官方联系方式吗？")
    page.get_by_label("电话号码、邮箱、链接或账号").fill("https://okpay.example.evil.com/login")
    page.get_by_role("button", name="核实").click()
    result = page.locator("#verify-result")
    expect(result.locator("#verify-result-title")).to_contain_text("非官方渠道")
    expect(result).to_contain_text("它看起来像 okpay.example，但并不是。")
    expect(result).to_contain_text("OKPay 官网")
    # htmx swapped the result in and put the query in the address bar, so it can be shared.
    expect(page).to_have_url(live_server.url + "/verify/?value=https%3A%2F%2Fokpay.example.evil.com%2Flogin")

    # Report it: the form arrives prefilled and the thanks replace it in place.
    result.get_by_role("link", name="举报").click()
    expect(page.get_by_label("可疑的号码、地址、链接或账号")).to_have_value(
        "https://okpay.example.evil.com/login"
    )
    expect(page.get_by_label("对方冒充的是哪个钱包？")).to_have_value(str(okpay.pk))
    page.get_by_label("您在哪里看到的？").select_option(label="短信")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_text("感谢您，举报已提交")).to_be_visible()
    report = ScamReport.objects.get()
    assert (report.normalized_value, report.brand_id, report.seen_where) == ("evil.com", okpay.pk, "sms")
    assert csp_violations == []


def test_a_confirmed_scam_number_says_known_scam(page: Page, live_server, okpay, csp_violations):
    ConfirmedScam.objects.create(
        kind="phone", normalized_value="+8617000000999", value="170 0000 0999", brand=okpay,
        first_reported_at=timezone.now(),
    )  # fmt: skip
    page.goto(live_server.url + "/verify/")
    page.get_by_label("电话号码、邮箱、链接或账号").fill("＋８６ １７０-００００-０９９９")
    page.get_by_label("电话号码、邮箱、链接或账号").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("已确认的诈骗")
    expect(page.get_by_role("alert")).to_contain_text("110")
    assert csp_violations == []


def test_verify_works_without_javascript(browser, live_server, okpay):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/verify/")
    page.get_by_label("电话号码、邮箱、链接或账号").fill("400-000-0101")
    page.get_by_role("button", name="核实").click()
    expect(page.locator("#verify-result")).to_contain_text("官方渠道")
    expect(page.locator("#verify-result")).to_contain_text("OKPay 客服热线（演示）")
    context.close()


def test_htmx_article_feedback_runs_under_the_csp(page: Page, live_server, csp_violations):
    article = ArticleFactory(slug="sms-code", title="验证码安全")
    response = page.goto(live_server.url + article.get_absolute_url())
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.get_by_role("button", name="👍 有帮助").click()
    expect(page.get_by_text("感谢您的反馈")).to_be_visible()
    assert csp_violations == []


def test_admin_and_markdown_editor_work_under_the_csp(page: Page, live_server, csp_violations):
    User.objects.create_superuser("editor", password="pw-editor-123")
    page.goto(live_server.url + "/admin/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill("pw-editor-123")
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + "/admin/faq/article/add/")
    editor = page.locator("textarea.markdownx-editor").first
    editor.fill("## 小标题\n\n**加粗**")
    # markdownx fetches the sanitised preview from the server and swaps it in.
    expect(page.locator(".markdownx-preview h2").first).to_contain_text("小标题")
    assert csp_violations == []
