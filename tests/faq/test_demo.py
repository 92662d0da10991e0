from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from brands.models import Brand
from faq.demo import DEMO_CATEGORIES, DEMO_CONTENT_DIR, demo_articles
from faq.models import Article, Category

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Brand.objects.values_list("slug", "name", "color")),
        list(Category.objects.values_list("slug", "name")),
        list(
            Article.objects.order_by("pk").values_list("pk", "slug", "language", "updated_at", "original_id")
        ),
        sorted(Article.brands.through.objects.values_list("article_id", "brand_id")),
        sorted(Article.tags.through.objects.values_list("article_id", "tag_id")),
    )


def test_load_demo_is_idempotent():
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_content_covers_brands_categories_and_both_languages():
    call_command("load_demo")
    assert set(Brand.objects.values_list("slug", flat=True)) >= {"kdpay", "kdou", "okpay"}
    assert set(Category.objects.values_list("slug", flat=True)) == {
        "account", "payments", "refunds", "security", "withdrawals", "contact",
    }  # fmt: skip
    published = Article.objects.published()
    assert published.filter(language="zh-hans").count() >= 30
    assert published.filter(language="en").count() >= 10
    assert Article.objects.filter(language="en", original__isnull=False).count() >= 10
    for category in Category.objects.all():
        assert published.filter(language="zh-hans", category=category).count() >= 4, category.slug


def test_demo_content_publishes_no_phone_number_from_the_seed_documents():
    # The seeds print a number presented as a support line; it must never appear as ours,
    # and no article may carry a long digit run that looks like a phone number.
    for path in DEMO_CONTENT_DIR.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d{7,}", text), path.name
        assert "帐" not in text, path.name  # mainland forms: 账户, 到账


def test_every_demo_article_parses_with_a_known_category():
    slugs = {category["slug"] for category in DEMO_CATEGORIES}
    articles = demo_articles()
    assert articles
    assert all(article.category in slugs and article.title and article.body.strip() for article in articles)
