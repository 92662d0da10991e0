from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Category


class StaticViewSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["faq:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.order_by("order", "slug")


class ArticleSitemap(Sitemap):
    """Each article at its own language's address (translations are separate rows)."""

    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Article.objects.published().order_by("language", "slug")

    def lastmod(self, article: Article):
        return article.updated_at
