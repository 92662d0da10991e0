"""Reads of the knowledge base that pages outside a single query need: cached rankings, and
what other apps show of it (the contact pages list articles through here, not through faq's models).
"""

from __future__ import annotations

from django.core.cache import cache

from brands.models import Brand
from helpcenter.localized import current_language

from .models import Article

RELATED_ARTICLES = 5
RELATED_CACHE_SECONDS = 15 * 60


def related_articles(article: Article) -> list[Article]:
    """The related list, with the expensive ranking cached per article version.

    Ranking by shared category and tags reads every visible article's tags; the ids it
    picks change only when articles change, so they are cached for a while. The rows are
    always fetched fresh through `visible()`, so an article unpublished meanwhile drops out.
    """
    key = f"faq:related:{article.pk}:{article.updated_at.timestamp()}"
    ids = cache.get(key)
    if ids is None:
        related = list(Article.objects.related_to(article).listed()[:RELATED_ARTICLES])
        cache.set(key, [other.pk for other in related], RELATED_CACHE_SECONDS)
        return related
    by_id = Article.objects.visible(language=article.language).listed().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def most_read_articles(*, brand: Brand | None, limit: int) -> list[Article]:
    """The most read articles a reader of this page's language (and brand) may see."""
    return Article.objects.most_viewed_for(language=current_language(), brand=brand, limit=limit)
