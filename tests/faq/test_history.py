"""Revision history (django-reversion) of articles, channels with their hours, and alerts:
author, time, readable differences, and a one-click restore that is itself a revision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from reversion.models import Version

from contact.models import Channel
from faq.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.helpers import article_form_data
from trust.models import ScamAlert

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _article_history(client, article) -> str:
    return client.get(reverse("admin:faq_article_history", args=[article.pk])).content.decode()


def _restore(client, model_name: str, obj, version: Version):
    url = reverse(f"admin:{model_name}_restore", args=[obj.pk, version.pk])
    return client.post(url)


@pytest.fixture
def written_twice(client, editor):
    """A draft an editor wrote, then changed the body of an hour later."""
    category = CategoryFactory()
    client.force_login(editor)
    with time_machine.travel(T0, tick=False) as clock:
        client.post(reverse("admin:faq_article_add"), article_form_data(category, body="第一行\n\n旧的说法"))
        article = Article.objects.get()
        clock.shift(timedelta(hours=1))
        data = article_form_data(category, slug=article.slug, body="第一行\n\n新的说法")
        assert client.post(reverse("admin:faq_article_change", args=[article.pk]), data).status_code == 302
        yield article, clock


def test_history_shows_author_and_the_changed_lines(client, written_twice):
    article, _ = written_twice
    page = _article_history(client, article)
    assert page.count("editor") >= 2
    assert "<del>- 旧的说法</del>" in page
    assert "<ins>+ 新的说法</ins>" in page


def test_restoring_brings_the_text_back_as_a_new_revision(client, written_twice):
    article, clock = written_twice
    first = Version.objects.get_for_object(article).last()
    clock.shift(timedelta(hours=1))
    response = _restore(client, "faq_article", article, first)
    assert response.status_code == 302
    article.refresh_from_db()
    assert "旧的说法" in article.body and "旧的说法" in article.body_html
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 3
    assert versions.first().revision.user.username == "editor"
    with translation.override("zh-hans"):
        restored = gettext("Restored the version of %(date)s.").split("%")[0]
    assert versions.first().revision.comment.startswith(restored)


def test_restoring_keeps_the_publishing_status(client, written_twice, publisher):
    article, _ = written_twice
    first = Version.objects.get_for_object(article).last()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    client.force_login(publisher)
    _restore(client, "faq_article", article, first)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_an_editor_cannot_restore_a_published_article(client, written_twice):
    article, _ = written_twice
    first = Version.objects.get_for_object(article).last()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert _restore(client, "faq_article", article, first).status_code == 403


def test_restore_is_a_post(client, written_twice):
    article, _ = written_twice
    first = Version.objects.get_for_object(article).last()
    url = reverse("admin:faq_article_restore", args=[article.pk, first.pk])
    assert client.get(url).status_code == 405


def test_updated_on_moves_only_when_the_text_changes():
    with time_machine.travel(T0, tick=False) as clock:
        article = ArticleFactory(body="原文")
        written = article.content_updated_at
        clock.shift(timedelta(days=3))
        article.is_featured = True
        article.save()
        article = Article.objects.get(pk=article.pk)
        article.save()  # saved as it is
        assert Article.objects.get(pk=article.pk).content_updated_at == written
        clock.shift(timedelta(days=1))
        article.body = "改过的原文"
        article.save()
        assert Article.objects.get(pk=article.pk).content_updated_at == T0 + timedelta(days=4)


def test_the_article_page_shows_the_content_date():
    with time_machine.travel(T0, tick=False) as clock:
        article = ArticleFactory(body="原文")
        clock.shift(timedelta(days=30))
        article.is_featured = True
        article.save()
    from django.test import Client

    page = Client().get(article.get_absolute_url()).content.decode()
    assert 'datetime="2026-12-01' in page


def _channel_data(kdpay, weekday: str, **fields) -> dict:
    return {
        "brand": kdpay.pk,
        "kind": "hotline",
        "label": "热线",
        "value": "400-000-0101",
        "good_for": "urgent",
        "order": 0,
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-0-weekday": weekday,
        "opening_hours-0-opens_at": "09:00",
        "opening_hours-0-closes_at": "21:00",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_channel_comes_back_with_its_opening_hours(admin_client, kdpay):
    admin_client.post(reverse("admin:contact_channel_add"), _channel_data(kdpay, "0"))
    channel = Channel.objects.get()
    monday = channel.opening_hours.get()
    change = _channel_data(
        kdpay,
        "1",
        label="新热线",
        **{
            "opening_hours-INITIAL_FORMS": "1",
            "opening_hours-0-id": monday.pk,
            "opening_hours-0-DELETE": "on",
        },
    )
    change.update({"opening_hours-TOTAL_FORMS": "2", "opening_hours-1-weekday": "1"})
    change.update({"opening_hours-1-opens_at": "10:00", "opening_hours-1-closes_at": "18:00"})
    assert (
        admin_client.post(reverse("admin:contact_channel_change", args=[channel.pk]), change).status_code
        == 302
    )
    assert list(channel.opening_hours.values_list("weekday", flat=True)) == [1]
    page = admin_client.get(reverse("admin:contact_channel_history", args=[channel.pk])).content.decode()
    assert "<del>热线</del> → <ins>新热线</ins>" in page
    first = Version.objects.get_for_object(channel).last()
    assert _restore(admin_client, "contact_channel", channel, first).status_code == 302
    channel.refresh_from_db()
    assert channel.label == "热线"
    assert list(channel.opening_hours.values_list("weekday", "opens_at")) == [(0, monday.opens_at)]


def test_an_alert_is_restored(admin_client, kdpay):
    url = reverse("admin:trust_scamalert_add")
    data = {"brand": kdpay.pk, "message": "冒充客服诈骗增多", "message_en": "", "starts_at_0": "2026-12-01"}
    data["starts_at_1"] = "10:00:00"
    assert admin_client.post(url, data).status_code == 302
    alert = ScamAlert.objects.get()
    change = reverse("admin:trust_scamalert_change", args=[alert.pk])
    assert admin_client.post(change, {**data, "message": "改错了的提醒"}).status_code == 302
    first = Version.objects.get_for_object(alert).last()
    _restore(admin_client, "trust_scamalert", alert, first)
    alert.refresh_from_db()
    assert alert.message == "冒充客服诈骗增多"
    assert Version.objects.get_for_object(alert).count() == 3


def test_a_version_whose_address_is_taken_since_is_refused_with_a_message(client, written_twice, publisher):
    article, _ = written_twice
    first = Version.objects.get_for_object(article).last()
    old_slug = article.slug
    Article.objects.filter(pk=article.pk).update(slug="renamed")
    ArticleFactory(slug=old_slug, language="zh-hans")
    response = _restore(client, "faq_article", article, first)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:faq_article_history", args=[article.pk])
    article.refresh_from_db()
    assert article.slug == "renamed"
    assert Version.objects.get_for_object(article).count() == 2


def test_the_librarys_raw_revert_page_leads_to_the_history(client, written_twice):
    article, _ = written_twice
    first = Version.objects.get_for_object(article).last()
    response = client.get(reverse("admin:faq_article_revision", args=[article.pk, first.pk]))
    assert response["Location"] == reverse("admin:faq_article_history", args=[article.pk])
