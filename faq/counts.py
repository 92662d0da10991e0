"""Published articles per category, counted once per content version for every page that shows counts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count

from brands.models import Brand
from pagecache.derived import derived, register

from .models import Article, Category

COUNTS_CACHE_SECONDS = 600


def published_counts(language: str) -> dict:
    """Published articles per category in one language: `all`, and per (category, brand) link.

    Counted in two grouped queries for every brand at once, then kept per content version
    (any article change moves it) and never past the next scheduled publish time
    (pagecache/derived.py), so the home, brand and category pages of every brand read counts
    without scanning articles. `by_brand[(category_id, None)]` counts the articles naming no
    brand (they apply to all).
    """
    return derived(f"faq:counts:{language}", lambda: _count_published(language), seconds=COUNTS_CACHE_SECONDS)


def _count_published(language: str) -> dict:
    articles = Article.objects.published().filter(language=language).order_by()
    # COUNT(*) rather than COUNT(id): the category index answers it alone.
    totals = articles.values_list("category_id").annotate(n=Count("*"))
    links = articles.values_list("category_id", "brands").annotate(n=Count("*"))
    return {"all": dict(totals), "by_brand": {(category, brand): n for category, brand, n in links}}


@register("faq:categories")
def all_categories() -> list[Category]:
    """Every category in display order, read once per content version (most pages list them)."""
    return derived("faq:categories", lambda: list(Category.objects.order_by("order", "slug")))


def category_by_slug(slug: str) -> Category | None:
    return next((category for category in all_categories() if category.slug == slug), None)


def categories_with_counts(*, language: str, brand: Brand | None = None) -> list[Category]:
    """Categories in order, each with `article_count`: its published articles in one language
    (and brand), from the counts kept per content version (`published_counts`)."""
    counts = published_counts(language)
    categories = all_categories()
    for category in categories:
        category.article_count = category_article_count(counts, category.pk, brand)
    return categories


def category_article_count(counts: dict, category_id: int, brand: Brand | None) -> int:
    if brand is None:
        return counts["all"].get(category_id, 0)
    by_brand = counts["by_brand"]
    return by_brand.get((category_id, None), 0) + by_brand.get((category_id, brand.pk), 0)


class CountedPaginator(Paginator):
    """A Paginator told its count, so it does not run COUNT(*) over the articles."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property
