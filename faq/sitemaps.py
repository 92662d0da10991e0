from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Category


class SiteSitemap(Sitemap):
    """Links on DJANGO_SITE_URL when it is set; otherwise on the request's host, as Django does."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class StaticViewSitemap(SiteSitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["faq:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(SiteSitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.order_by("order", "slug")


class ArticleSitemap(SiteSitemap):
    """Each article at its own language's address (translations are separate rows)."""

    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Article.objects.published().order_by("language", "slug")

    def lastmod(self, article: Article):
        return article.updated_at
