"""Reads of the knowledge base that pages outside a single query need: cached rankings, and
what other apps show of it (the contact pages list articles through here, not through faq's models).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from brands.models import Brand
from brands.selectors import active_brands
from helpcenter.localized import Language, current_language
from pagecache.derived import derived, register

from .models import Article

RELATED_ARTICLES = 5
RELATED_CACHE_SECONDS = 15 * 60
FEATURED_ARTICLES = 6
MOST_READ_ARTICLES = 8
# The most-read lists follow view counts, which change without moving the content version:
# kept no longer than a page is (they caught up within a page's lifetime before too).
LIST_SECONDS = settings.PAGE_CACHE_SECONDS


def related_articles(article: Article) -> list[Article]:
    """The related list, with the expensive ranking cached per article version.

    Ranking by shared category and tags reads every visible article's tags; the ids it
    picks change only when articles change, so they are cached for a while. The rows are
    always fetched fresh through `visible()`, so an article unpublished meanwhile drops out.
    """
    key = f"faq:related:{article.pk}:{article.updated_at.timestamp()}"
    ids = cache.get(key)
    if ids is None:
        related = Article.objects.related_to(article, limit=RELATED_ARTICLES)
        cache.set(key, [other.pk for other in related], RELATED_CACHE_SECONDS)
        return related
    by_id = Article.objects.visible(language=article.language).listed().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _brand_key(brand: Brand | None) -> str:
    return "all" if brand is None else str(brand.pk)


def featured_articles(*, brand: Brand | None, language: str | None = None) -> list[Article]:
    """The featured articles of a language (and brand), as the home and brand pages list them."""
    language = language or current_language()
    return derived(
        f"faq:featured:{language}:{_brand_key(brand)}",
        lambda: list(
            Article.objects.visible(language=language, brand=brand).featured().listed()[:FEATURED_ARTICLES]
        ),
        seconds=LIST_SECONDS,
    )


def most_read_articles(*, brand: Brand | None, limit: int, language: str | None = None) -> list[Article]:
    """The most read articles a reader of this page's language (and brand) may see."""
    language = language or current_language()
    return derived(
        f"faq:most-read:{language}:{_brand_key(brand)}:{limit}",
        lambda: Article.objects.most_viewed_for(language=language, brand=brand, limit=limit),
        seconds=LIST_SECONDS,
    )


@register("faq:lists")
def knowledge_base_lists() -> None:
    """The lists of the home page and of every brand page, in every language (for the writer)."""
    for language in Language.values:
        for brand in [None, *active_brands()]:
            featured_articles(brand=brand, language=language)
            most_read_articles(brand=brand, limit=MOST_READ_ARTICLES, language=language)
