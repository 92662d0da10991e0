"""Which Chinese articles lack an English version or have one older than the Chinese text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from faq.models import Article
from faq.translations import TranslationStatus, with_translation_status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def articles():
    """One Chinese article of each status, the English written a day after its Chinese."""
    with time_machine.travel(T0, tick=False) as clock:
        missing = ArticleFactory(title="没有英文")
        current = ArticleFactory(title="英文最新")
        outdated = ArticleFactory(title="英文过时")
        clock.shift(timedelta(days=1))
        for chinese in (current, outdated):
            ArticleFactory(language="en", original=chinese, title=f"English of {chinese.pk}")
        clock.shift(timedelta(days=1))
        outdated.body = "中文又改过了"
        outdated.save()
        clock.shift(timedelta(days=1))
        current.is_featured = True  # not a change of text: the English stays current
        current.save()
    return {"missing": missing, "current": current, "outdated": outdated}


def test_each_chinese_article_gets_its_status(articles):
    found = dict(
        with_translation_status(Article.objects.filter(language="zh-hans")).values_list(
            "title", "translation_status"
        )
    )
    assert found == {
        "没有英文": TranslationStatus.MISSING,
        "英文最新": TranslationStatus.CURRENT,
        "英文过时": TranslationStatus.OUTDATED,
    }


def test_the_list_filters_by_status(admin_client, articles):
    url = reverse("admin:faq_article_changelist")
    response = admin_client.get(url, {"translation": "outdated"})
    assert [article.title for article in response.context["cl"].result_list] == ["英文过时"]


def test_the_list_column_names_the_status(admin_client, articles):
    page = admin_client.get(
        reverse("admin:faq_article_changelist"), {"language__exact": "zh-hans"}
    ).content.decode()
    assert "没有英文版" in page
    assert "英文版比中文版旧" in page


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_reads_in_constant_queries(admin_client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count)
    with django_assert_num_queries(11):
        admin_client.get(reverse("admin:faq_article_changelist"))
