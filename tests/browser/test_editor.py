from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from faq.models import Article
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_writes_with_live_preview_and_publishes(page: Page, live_server):
    CategoryFactory(slug="security", name="安全")
    editor = User.objects.create_user("editor", password="editor-pass-123", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-pass-123")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/faq/article/add/")
    page.fill("#id_title", "如何识别假客服")
    page.fill("#id_slug", "spot-fake-support")
    page.select_option("#id_category", label="安全")
    page.fill("#id_body", "## 官方不会做的事\n\n**绝不**索要验证码。<script>alert(1)</script>")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_contain_text("官方不会做的事")
    expect(preview.locator("strong")).to_have_text("绝不")
    assert "<script" not in preview.inner_html()

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    article = Article.objects.get(slug="spot-fake-support")
    assert article.status == Article.Status.PUBLISHED and "<strong>绝不</strong>" in article.body_html

    page.goto(live_server.url + "/a/spot-fake-support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("如何识别假客服")
