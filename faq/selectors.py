"""Reads of the knowledge base that pages outside a single query need: cached rankings, and
what other apps show of it (the contact pages list articles through here, not through faq's models).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from brands.models import Brand
from brands.selectors import active_brands
from helpcenter.localized import Language, current_language
from pagecache.derived import derive_together, derived, register

from .models import Article
from .querysets import MOST_VIEWED_CANDIDATES, ArticleQuerySet

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


def _featured_name(language: str, brand: Brand | None) -> str:
    return f"faq:featured:{language}:{_brand_key(brand)}"


def _most_read_name(language: str, brand: Brand | None, limit: int) -> str:
    return f"faq:most-read:{language}:{_brand_key(brand)}:{limit}"


def _featured(language: str, brand: Brand | None) -> list[Article]:
    return list(
        Article.objects.visible(language=language, brand=brand).featured().listed()[:FEATURED_ARTICLES]
    )


def featured_articles(*, brand: Brand | None, language: str | None = None) -> list[Article]:
    """The featured articles of a language (and brand), as the home and brand pages list them."""
    language = language or current_language()
    return derived(_featured_name(language, brand), lambda: _featured(language, brand), seconds=LIST_SECONDS)


def most_read_articles(*, brand: Brand | None, limit: int, language: str | None = None) -> list[Article]:
    """The most read articles a reader of this page's language (and brand) may see."""
    language = language or current_language()
    return derived(
        _most_read_name(language, brand, limit),
        lambda: Article.objects.most_viewed_for(language=language, brand=brand, limit=limit),
        seconds=LIST_SECONDS,
    )


def _for_every_brand(
    ordered: ArticleQuerySet, *, limit: int, brands: list[Brand], alone: Callable[[Brand], list[Article]]
) -> dict[Brand | None, list[Article]]:
    """The first `limit` of `ordered` (visible articles), and each brand's first `limit` of them,
    from one read of its first few times `limit` and of their brand links.

    Most articles apply to every brand, so those few nearly always hold each brand's list
    (in the same order, as the brand's articles keep theirs); a brand for which they do not,
    while more articles remain, is read `alone`.
    """
    wanted = limit * MOST_VIEWED_CANDIDATES
    candidates = list(ordered[:wanted])
    links = Article.brands.through.objects.filter(article_id__in=[article.pk for article in candidates])
    named: dict[int, set[int]] = {}
    for article_id, brand_id in links.values_list("article_id", "brand_id"):
        named.setdefault(article_id, set()).add(brand_id)
    lists: dict[Brand | None, list[Article]] = {None: candidates[:limit]}
    for brand in brands:
        # An article naming no brand applies to every brand.
        found = [article for article in candidates if brand.pk in named.get(article.pk, {brand.pk})][:limit]
        lists[brand] = found if len(found) == limit or len(candidates) < wanted else alone(brand)
    return lists


def _lists_of_every_page() -> dict[str, list[Article]]:
    brands = active_brands()
    lists = {}
    for language in Language.values:
        visible = Article.objects.visible(language=language).listed()
        featured = _for_every_brand(
            visible.featured(),
            limit=FEATURED_ARTICLES,
            brands=brands,
            alone=lambda brand, language=language: _featured(language, brand),
        )
        most_read = _for_every_brand(
            visible.most_viewed(),
            limit=MOST_READ_ARTICLES,
            brands=brands,
            alone=lambda brand, language=language: Article.objects.most_viewed_for(
                language=language, brand=brand, limit=MOST_READ_ARTICLES
            ),
        )
        for brand in [None, *brands]:
            lists[_featured_name(language, brand)] = featured[brand]
            lists[_most_read_name(language, brand, MOST_READ_ARTICLES)] = most_read[brand]
    return lists


@register("faq:lists")
def knowledge_base_lists() -> None:
    """The featured and most-read lists of the home page and every brand page, in every language,
    for the writer: four queries per language rather than two per list."""
    derive_together(_lists_of_every_page, seconds=LIST_SECONDS)
