"""Review before publishing: Editors write and submit, Publishers publish; pinyin slugs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from faq.models import Article
from faq.tasks import notify_publishers
from tests.factories import ArticleFactory, CategoryFactory
from tests.helpers import IMMEDIATE_TASKS, article_form_data, zh_url

pytestmark = pytest.mark.django_db

ADD = "admin:faq_article_add"
CHANGELIST = "admin:faq_article_changelist"


@pytest.fixture
def category(db):
    return CategoryFactory(slug="account", name="账户")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE_TASKS


def test_a_chinese_title_without_a_slug_saves_with_a_pinyin_slug(client, editor, category):
    client.force_login(editor)
    response = client.post(reverse(ADD), article_form_data(category, title="如何修改登录密码"))
    assert response.status_code == 302
    assert Article.objects.get().slug == "ru-he-xiu-gai-deng-lu-mi-ma"


def test_a_typed_slug_is_kept(client, editor, category):
    client.force_login(editor)
    client.post(reverse(ADD), article_form_data(category, slug="change-password"))
    assert Article.objects.get().slug == "change-password"


def test_a_generated_slug_does_not_take_another_articles_address(client, editor, category):
    ArticleFactory(slug="ru-he-xiu-gai-deng-lu-mi-ma", language="zh-hans")
    client.force_login(editor)
    client.post(reverse(ADD), article_form_data(category, title="如何修改登录密码"))
    assert Article.objects.filter(status=Article.Status.DRAFT).get().slug == "ru-he-xiu-gai-deng-lu-mi-ma-2"


def test_an_editor_cannot_publish_from_the_form(client, editor, category):
    client.force_login(editor)
    response = client.post(reverse(ADD), article_form_data(category, status="published"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_submitting_for_review_emails_each_publisher(
    client, editor, publisher, category, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(ADD), article_form_data(category, title="如何修改登录密码", status="review"))
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert [email.to for email in mail.outbox] == [["publisher@staff.example"]]
    assert "如何修改登录密码" in mail.outbox[0].subject
    assert reverse("admin:faq_article_change", args=[article.pk]) in mail.outbox[0].body


def test_saving_an_article_already_in_review_sends_no_second_email(
    client, editor, publisher, category, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, category=category)
    client.force_login(editor)
    url = reverse("admin:faq_article_change", args=[article.pk])
    data = article_form_data(category, title=article.title, slug=article.slug, status="review")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert mail.outbox == []


def test_no_email_for_an_article_that_left_review_before_the_worker_ran(publisher):
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert notify_publishers.call(article.pk, "https://help.example") == 0
    assert mail.outbox == []


def test_a_publisher_publishes_in_bulk_and_an_editor_cannot(client, editor, publisher):
    waiting = ArticleFactory(status=Article.Status.IN_REVIEW, title="等待审核的文章")
    action = {"action": "publish", "_selected_action": [waiting.pk]}
    client.force_login(editor)
    client.post(reverse(CHANGELIST), action)
    waiting.refresh_from_db()
    assert waiting.status == Article.Status.IN_REVIEW
    client.force_login(publisher)
    client.post(reverse(CHANGELIST), action)
    waiting.refresh_from_db()
    assert waiting.status == Article.Status.PUBLISHED
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_an_editor_cannot_change_a_published_article(client, editor, category):
    article = ArticleFactory(category=category, title="已发布的文章")
    client.force_login(editor)
    url = reverse("admin:faq_article_change", args=[article.pk])
    data = article_form_data(category, title="被编辑改掉", slug=article.slug, status="published")
    assert client.post(url, data).status_code == 403
    article.refresh_from_db()
    assert article.title == "已发布的文章"


def test_an_approved_article_scheduled_for_later_appears_at_its_time(client, publisher, category):
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        article = ArticleFactory(status=Article.Status.IN_REVIEW, category=category, slug="later")
        client.force_login(publisher)
        url = reverse("admin:faq_article_change", args=[article.pk])
        # 12:00 in Shanghai is 04:00 UTC, two hours from now.
        data = article_form_data(
            category, title=article.title, slug="later", status="published", published_at_1="12:00:00"
        )
        assert client.post(url, data).status_code == 302
        client.logout()
        assert client.get(zh_url("faq:article_detail", slug="later")).status_code == 404
        clock.shift(timedelta(hours=2, seconds=1))
        assert client.get(zh_url("faq:article_detail", slug="later")).status_code == 200


def test_preview_as_a_visitor_is_for_staff_and_never_cached(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="还没发布的文章")
    url = reverse("admin:faq_article_preview", args=[draft.pk])
    client.force_login(editor)
    preview = client.get(url)
    assert "还没发布的文章" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, not a stored copy


def test_an_editor_is_told_why_a_published_article_is_read_only(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    page = client.get(reverse("admin:faq_article_change", args=[article.pk])).content.decode()
    assert "发布人" in page
    assert 'name="_save"' not in page


def test_a_draft_page_links_to_its_preview_as_a_visitor(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    page = client.get(reverse("admin:faq_article_change", args=[draft.pk])).content.decode()
    assert reverse("admin:faq_article_preview", args=[draft.pk]) in page
