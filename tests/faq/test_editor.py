"""The article editor's live preview and image upload (django-markdownx's endpoints)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from faq.markdown import MAX_BODY_LENGTH, render_markdown

pytestmark = pytest.mark.django_db

PREVIEW = "markdownx_markdownify"


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def support_agent(db):
    user = User.objects.create_user("agent", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    return user


def test_support_agents_cannot_preview(client, support_agent):
    client.force_login(support_agent)
    assert client.post(reverse(PREVIEW), {"content": "**x**"}).status_code == 403


def test_visitors_cannot_preview(client):
    assert client.post(reverse(PREVIEW), {"content": "**x**"}).status_code == 403


def test_editors_preview_sanitised_html(client, editor):
    client.force_login(editor)
    response = client.post(reverse(PREVIEW), {"content": "**x** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>x</strong> </p>"


# The editor's endpoints sit outside the /en/ prefix: staff get the site's default language.
def test_preview_refuses_a_body_over_the_cap_with_a_message(client, editor):
    client.force_login(editor)
    response = client.post(reverse(PREVIEW), {"content": "好" * (MAX_BODY_LENGTH + 1)})
    assert response.status_code == 413
    assert response.content.decode() == f"文章超过 {MAX_BODY_LENGTH} 个字符，请拆分成几篇。"


def test_preview_without_content_is_a_400(client, editor):
    client.force_login(editor)
    assert client.post(reverse(PREVIEW), {}).status_code == 400


def _normal_article(length: int) -> str:
    paragraph = (
        "## 退款多久到账\n\n退款一般在 **1-3 个工作日** 内原路退回，详见[退款说明](https://kdpay.example/refund)。"
        "如果超过 7 天仍未到账，请准备好*交易单号*联系客服。\n\n- 打开钱包\n- 点击「账单」\n- 找到这笔交易\n\n"
    )
    return (paragraph * (length // len(paragraph) + 1))[:length]


def _render_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        render_markdown(text)
        best = min(best, time.perf_counter() - start)
    return best


# Inputs Python-Markdown used to take quadratic time on: every "[" (or "![") scanned the rest
# of the paragraph for its "]", every "(" after "[...]" for its ")".
PATHOLOGICAL_LINKS = {
    "open-brackets": "[" * 8000,
    "image-openers": "![" * 4000,
    "empty-links-without-targets": "[](" * 2700,
    "links-without-closing-parenthesis": "[a](" * 2000,
    "reference-openers": "[a][" * 2000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL_LINKS.values(), ids=PATHOLOGICAL_LINKS.keys())
def test_pathological_links_render_about_as_fast_as_a_normal_article(text):
    normal = _render_seconds(_normal_article(len(text)))
    assert _render_seconds(text) < 5 * normal + 0.05


# Inputs that are slow or fail for reasons outside our code (the standard library's
# HTMLParser is quadratic on unclosed tags before Python 3.13.4; deep nesting recurses):
# the preview stops them at the time limit and says so.
TOO_COMPLEX = {
    "unclosed-html-tags": "<a " * 33_000,
    "deeply-nested-lists": "1. " * 33_000,
}


@pytest.mark.parametrize("text", TOO_COMPLEX.values(), ids=TOO_COMPLEX.keys())
def test_a_preview_that_would_take_too_long_is_stopped_with_a_message(client, editor, settings, text):
    settings.MARKDOWN_RENDER_SECONDS = 1
    client.force_login(editor)
    response = client.post(reverse(PREVIEW), {"content": text})
    assert response.status_code == 422
    assert response.content.decode() == "这段文字过于复杂，无法预览；请减少嵌套层级或原始 HTML。"


def test_eight_thousand_brackets_preview_in_the_editor(client, editor):
    client.force_login(editor)
    response = client.post(reverse(PREVIEW), {"content": "[" * 8000})
    assert response.status_code == 200
    assert response.content.decode().count("[") == 8000


def test_saving_an_article_over_the_cap_is_refused_in_the_admin(client, editor):
    from faq.models import Article
    from tests.factories import ArticleFactory

    article = ArticleFactory(status=Article.Status.DRAFT)  # editors change drafts, publishers the rest
    client.force_login(editor)
    url = reverse("admin:faq_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    response = client.post(url, {**data, "body": "好" * (MAX_BODY_LENGTH + 1)})
    assert response.status_code == 200
    assert f"文章超过 {MAX_BODY_LENGTH} 个字符" in response.content.decode()
    article.refresh_from_db()
    assert len(article.body) < MAX_BODY_LENGTH
