"""An editor writes a Chinese article from nothing, a publisher reviews and publishes it, and a
bad edit is undone from the history: the whole path in Chromium, as staff click through it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from playwright.sync_api import Page, expect

from faq.models import Article
from tests.factories import CategoryFactory
from tests.helpers import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "staff-pass-123"


def _staff(username: str, group: str) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@staff.example", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def _log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def _start_article(page: Page, live_server, *, title: str, body: str) -> None:
    """As the editor: a new article in 安全 with `title` and `body`, no slug typed."""
    CategoryFactory(slug="security", name="安全")
    _staff("editor", "Editors")
    _log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/faq/article/add/")
    page.fill("#id_title", title)
    page.select_option("#id_category", label="安全")
    page.fill("#id_body", body)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE_TASKS


def test_a_chinese_article_goes_from_nothing_to_published_through_review(page: Page, live_server):
    _staff("publisher", "Publishers")
    body = "## 官方不会做的事\n\n**绝不**索要验证码。<script>alert(1)</script>"
    _start_article(page, live_server, title="如何识别假客服", body=body)
    # The preview sits beside the Markdown, in a frame styled by the public stylesheet.
    preview = page.frame_locator(".article-editor__frame")
    expect(preview.locator(".article__body h2")).to_contain_text("官方不会做的事")
    assert "<script" not in preview.locator("body").inner_html()
    assert preview.locator("link[rel=stylesheet]").get_attribute("href").endswith("/css/site.css")
    ratio = "el => parseFloat(getComputedStyle(el).lineHeight) / parseFloat(getComputedStyle(el).fontSize)"
    assert round(preview.locator(".prose").evaluate(ratio), 1) == 1.8  # site.css's .prose, applied
    editor_box = page.locator("#id_body").bounding_box()
    assert page.locator(".article-editor__frame").bounding_box()["x"] > editor_box["x"] + editor_box["width"]
    statuses = page.locator("#id_status option").evaluate_all("options => options.map(o => o.value)")
    assert statuses == ["draft", "review"]  # an Editor cannot choose "published"
    expect(page.locator("#id_brands_add_all")).to_have_text("全选品牌")  # was "Choose all 品牌"
    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("审核")
    article = Article.objects.get()
    assert (article.slug, article.status) == ("ru-he-shi-bie-jia-ke-fu", Article.Status.IN_REVIEW)
    assert [email.to for email in mail.outbox] == [["publisher@staff.example"]]
    assert page.request.get(live_server.url + "/a/ru-he-shi-bie-jia-ke-fu/").status == 404

    _log_in(page, live_server, "publisher")
    page.goto(live_server.url + f"/admin/faq/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto(live_server.url + "/a/ru-he-shi-bie-jia-ke-fu/")
    expect(page.get_by_role("heading", level=1)).to_have_text("如何识别假客服")


def test_an_editor_restores_an_earlier_version_in_one_click(page: Page, live_server):
    _start_article(page, live_server, title="退款多久到账", body="退款一般在 1-3 个工作日内到账。")
    page.click("input[name=_continue]")
    page.fill("#id_body", "写错了的内容")
    page.click("input[name=_continue]")

    page.get_by_role("link", name="历史").click()
    expect(page.locator(".history-entry").first).to_contain_text("editor")
    expect(page.locator(".history-entry").first.locator("ins")).to_contain_text("写错了的内容")
    page.locator(".history-entry").nth(1).get_by_role("button").click()
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("退款一般在 1-3 个工作日内到账。")
    page.get_by_role("link", name="历史").click()
    expect(page.locator(".history-entry")).to_have_count(3)
