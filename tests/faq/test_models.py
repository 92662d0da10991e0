from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from faq.models import Article
from tests.factories import ArticleFactory, BrandFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_articles():
    visible = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [visible]
    # A scheduled article appears once its time has come.
    assert scheduled in Article.objects.published(at=timezone.now() + timedelta(hours=2))


def test_for_brand_includes_articles_for_all_brands_and_that_brand_only():
    kdpay, okpay = BrandFactory(slug="kdpay"), BrandFactory(slug="okpay")
    everyone = ArticleFactory()
    only_kdpay = ArticleFactory(brands=[kdpay])
    only_okpay = ArticleFactory(brands=[okpay])
    both = ArticleFactory(brands=[kdpay, okpay])
    found = list(Article.objects.for_brand(kdpay))
    assert sorted(a.pk for a in found) == sorted([everyone.pk, only_kdpay.pk, both.pk])
    assert only_okpay not in found


def test_slug_is_unique_per_language_but_shared_across_languages():
    ArticleFactory(slug="reset-password", language="zh-hans")
    ArticleFactory(slug="reset-password", language="en")
    with pytest.raises(IntegrityError):
        ArticleFactory(slug="reset-password", language="en")


def test_body_html_is_rendered_on_save_and_updated_when_body_changes():
    article = ArticleFactory(body="## 标题一\n\n内容")
    assert "<h2" in article.body_html
    article.body = "**新内容**"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert "<strong>新内容</strong>" in article.body_html


def test_absolute_url_uses_the_articles_own_language():
    assert ArticleFactory(slug="x", language="zh-hans").get_absolute_url() == "/a/x/"
    assert ArticleFactory(slug="x", language="en").get_absolute_url() == "/en/a/x/"


def test_related_articles_rank_shared_tags_then_featured_then_most_read_and_fill_from_the_category():
    tags = [TagFactory(name=f"相关标签{n}") for n in range(3)]
    article = ArticleFactory(tags=tags)
    category = article.category
    two_tags = ArticleFactory(tags=tags[:2], view_count=1)
    one_tag_read = ArticleFactory(tags=[tags[2]], view_count=90)
    one_tag_featured = ArticleFactory(tags=[tags[0]], is_featured=True, view_count=0)
    same_category_read = ArticleFactory(category=category, view_count=50)
    same_category_quiet = ArticleFactory(category=category, view_count=5)
    ArticleFactory(tags=tags, language="en")  # another language
    ArticleFactory(tags=tags, status=Article.Status.DRAFT)  # not visible
    ArticleFactory()  # neither a tag nor the category

    related = Article.objects.related_to(article, limit=5)
    assert related == [two_tags, one_tag_featured, one_tag_read, same_category_read, same_category_quiet]
    assert Article.objects.related_to(article, limit=2) == [two_tags, one_tag_featured]
    untagged = ArticleFactory(category=category)
    assert Article.objects.related_to(untagged, limit=3) == [same_category_read, same_category_quiet, article]


@pytest.mark.parametrize("fetch_by_pk", [1_000, 5, 0], ids=["fetched-by-pk", "both", "walked-in-index-order"])
def test_related_articles_keep_their_ranking_when_many_articles_share_the_tags(monkeypatch, fetch_by_pk):
    # At 0 every shared-tag count is found by walking the popularity index; at 5 the five
    # sharing both tags are read by pk and the six sharing one by walking it.
    monkeypatch.setattr("faq.querysets.RELATED_FETCH_BY_PK", fetch_by_pk)
    tags = [TagFactory(name=f"共享标签{n}") for n in range(2)]
    article = ArticleFactory(tags=tags)
    both = [ArticleFactory(tags=tags, view_count=views) for views in (3, 7, 7, 0)]
    featured_quiet = ArticleFactory(tags=tags, is_featured=True, view_count=0)
    one = [ArticleFactory(tags=[tags[n % 2]], view_count=views) for n, views in enumerate((9, 9, 4, 9, 1))]
    one_featured = ArticleFactory(tags=[tags[1]], is_featured=True, view_count=2)
    ArticleFactory(tags=tags, view_count=100, language="en")  # another language
    ArticleFactory(tags=tags, view_count=100, status=Article.Status.DRAFT)  # not visible
    ArticleFactory(tags=tags, view_count=100, published_at=timezone.now() + timedelta(hours=1))  # scheduled

    def ranked(articles: list[Article]) -> list[Article]:
        return sorted(articles, key=lambda other: (not other.is_featured, -other.view_count, other.pk))

    expected = ranked([featured_quiet, *both]) + ranked([one_featured, *one])
    assert Article.objects.related_to(article, limit=8) == expected[:8]
    assert Article.objects.related_to(article, limit=3) == expected[:3]
    assert Article.objects.related_to(article, limit=20) == expected
