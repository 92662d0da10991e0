"""The sitemap: an index at /sitemap.xml and one file per section and page (Django's sitemap framework).

Articles are split into pages by id (ARTICLES_PER_SITEMAP ids a page), so no request reads
every article, and page 90 costs what page 1 costs: one range of the primary key, where
OFFSET paging would step over every article before it. A page holds fewer links where
ids were drafts or deleted; none is left out.
"""

from __future__ import annotations

from math import ceil
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Min
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from .models import Article, Category

#: Articles per sitemap page: a page is one query and a render of this many links (the
#: template's loop is most of its cost, about 0.05 ms a link on a quiet core).
ARTICLES_PER_SITEMAP = 500
#: Stands for the slug in an article address reversed once per language.
SLUG_MARK = "slug-mark"


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
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        return Article.objects.published().only("slug", "language", "updated_at").order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at

    def location(self, article: Article) -> str:
        # One reverse per language and page rather than one per article (each also switches
        # the active language): the address with the slug put in.
        paths = self.__dict__.setdefault("_paths", {})
        if article.language not in paths:
            paths[article.language] = Article(slug=SLUG_MARK, language=article.language).get_absolute_url()
        return paths[article.language].replace(SLUG_MARK, article.slug)

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default reads every article for the index's <lastmod>; the index goes without.
        return None


class IdRangePaginator:
    """Pages of `per_page` consecutive ids from the lowest: what Sitemap.get_urls asks of a Paginator."""

    def __init__(self, queryset, per_page: int) -> None:
        self.queryset, self.per_page = queryset, per_page
        # The two ends of the primary key index, whatever the number of articles. Two queries:
        # SQLite reads MIN() or MAX() from an index only when the query asks for one alone.
        first = Article.objects.aggregate(id=Min("pk"))["id"]
        last = Article.objects.aggregate(id=Max("pk"))["id"]
        self.first_id = first or 0
        self.num_pages = ceil((last - self.first_id + 1) / per_page) if last else 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(number) from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        start = self.first_id + (number - 1) * self.per_page
        return _IdRange(self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page))


class _IdRange:
    def __init__(self, object_list) -> None:
        self.object_list = object_list


SITEMAPS = {"pages": StaticViewSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Django's sitemap index, with each section's links on the site's own address (DJANGO_SITE_URL)."""
    site = get_current_site(request)
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        path = reverse("sitemap_section", kwargs={"section": section})
        location = f"{sitemap.get_protocol(request.scheme)}://{sitemap.get_domain(site)}{path}"
        entries.append(SitemapIndexItem(location))
        entries += [
            SitemapIndexItem(f"{location}?p={page}") for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
