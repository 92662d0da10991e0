"""The knowledge base's query logic: what the public may see, in which order, for which brand.

Kept apart from the models (models.py) so that each reads as one thing: the tables there,
the questions asked of them here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from brands.models import Brand
from pagecache.invalidation import ContentQuerySet

from .search import RESULT_LIMIT
from .search import search as run_search

if TYPE_CHECKING:
    from .models import Article


#: most_viewed_for reads this many times `limit` of the most read articles before narrowing to a brand.
MOST_VIEWED_CANDIDATES = 8

#: What article lists show (a linked title and the summary). The rest of a row (the Markdown,
#: its HTML, the segmented search text) is many kilobytes that no list reads.
LIST_FIELDS = ("title", "slug", "language", "summary")

#: The related list's order among articles sharing as many tags (the article_related_idx index's).
RELATED_ORDER = ("-is_featured", "-view_count", "pk")

#: Up to this many articles sharing a number of tags are fetched by pk and sorted; more are
#: found by walking the popularity index, which meets `limit` of them after about
#: limit × visible / this many rows (5 × 69,000 / 300, some 1,150 at 100,000 articles) at worst.
RELATED_FETCH_BY_PK = 300


class ArticleQuerySet(ContentQuerySet):
    # Popularity counters: the most-read lists catch up within the page cache's lifetime.
    counter_fields = frozenset({"view_count", "helpful_count", "not_helpful_count"})

    def published(self, at: datetime | None = None) -> ArticleQuerySet:
        """Articles the public may see: published, with a publish time that has come."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def for_brand(self, brand: Brand) -> ArticleQuerySet:
        """Articles that apply to `brand`: those naming it and those naming no brand at all."""
        links = self.model.brands.through.objects.filter(article=OuterRef("pk"))
        return self.filter(Exists(links.filter(brand=brand)) | ~Exists(links))

    def visible(self, *, language: str, brand: Brand | None = None) -> ArticleQuerySet:
        """Published articles in one language, narrowed to a brand when one is chosen."""
        articles = self.published().filter(language=language)
        return articles.for_brand(brand) if brand is not None else articles

    def listed(self) -> ArticleQuerySet:
        """Only the columns an article list shows (LIST_FIELDS)."""
        return self.only(*LIST_FIELDS)

    def for_list_page(self) -> ArticleQuerySet:
        """What article lists read (their brands), fetched up front and ordered for reading."""
        return (
            self.listed()
            .prefetch_related("brands")
            .order_by("-is_featured", "featured_order", "-view_count", "-published_at", "pk")
        )

    def featured(self) -> ArticleQuerySet:
        return self.filter(is_featured=True).order_by("featured_order", "-published_at")

    def most_viewed(self) -> ArticleQuerySet:
        return self.order_by("-view_count", "-published_at", "pk")

    def most_viewed_for(self, *, language: str, brand: Brand | None, limit: int) -> list[Article]:
        """The `limit` most read visible articles of a language (and brand), in one query.

        With a brand, databases check the brand of every visible article and then sort them
        all (SQLite: 43 ms at 20,000 articles). Instead the language's most read articles are
        taken in index order, a few times `limit` of them, and narrowed to the brand; since
        most articles apply to every brand, that nearly always finds `limit`. When it does
        not, the full query answers.
        """
        visible = self.visible(language=language).listed()
        if brand is None:
            return list(visible.most_viewed()[:limit])
        candidates = visible.most_viewed().values("pk")[: limit * MOST_VIEWED_CANDIDATES]
        found = list(visible.for_brand(brand).filter(pk__in=candidates).most_viewed()[:limit])
        if len(found) < limit:
            found = list(visible.for_brand(brand).most_viewed()[:limit])
        return found

    def search(self, query: str, *, limit: int = RESULT_LIMIT) -> ArticleQuerySet:
        """These articles matching `query`, best first, annotated with `search_score`: the
        QuerySet's filters are the search's (`Article.objects.visible(...).search(q)`)."""
        return run_search(query, articles=self, limit=limit).articles

    def related_to(self, article: Article, *, limit: int) -> list[Article]:
        """Up to `limit` listed articles sharing a tag or the category with `article`: most
        shared tags first, then featured, then most read.

        Joining the visible articles to everything sharing a tag and sorting them costs with
        the tag's size (a tag shared by 8,000 of 100,000 articles: PostgreSQL scanned the
        articles table, 74-120 ms). Instead the shared tags are counted per article from the
        tag links alone, and the articles sharing most are read first, a query stopping after
        `limit` (_ranked_next). The category's other articles, which share no tag, only fill
        the places left.
        """
        tag_links = self.model.tags.through.objects.filter(tag__in=[tag.pk for tag in article.tags.all()])
        levels = _articles_by_shared_tags(tag_links.exclude(article=article.pk))
        others = self.visible(language=article.language).exclude(pk=article.pk).listed()
        # The same articles with the publish time asked as NOT (published_at > now), which
        # SQLite cannot range-scan: with statistics it otherwise read article_visible_idx for
        # it and counted the tags of every visible article (150-300 ms at 100,000 articles).
        walked = (
            self.filter(language=article.language, status=self.model.Status.PUBLISHED)
            .exclude(published_at__gt=timezone.now())
            .exclude(pk=article.pk)
            .listed()
        )
        found: list[Article] = []
        while levels and len(found) < limit:
            ranked = _ranked_next(levels, few=others, many=walked, tag_links=tag_links)
            found += ranked[: limit - len(found)]
        if len(found) < limit:
            same_category = others.filter(category_id=article.category_id).exclude(
                pk__in=[o.pk for o in found]
            )
            found += same_category.order_by(*RELATED_ORDER)[: limit - len(found)]
        return found


def _articles_by_shared_tags(tag_links: models.QuerySet) -> list[tuple[int, list[int]]]:
    """Each number of tags shared, highest first, with the ids of the articles sharing that many
    (read from the tag links alone, visible or not)."""
    by_shared: dict[int, list[int]] = {}
    counted = tag_links.values("article").annotate(n=Count("*")).values_list("article", "n")
    for article_id, shared in counted:
        by_shared.setdefault(shared, []).append(article_id)
    return sorted(by_shared.items(), reverse=True)


def _ranked_next(
    levels: list[tuple[int, list[int]]],
    *,
    few: ArticleQuerySet,
    many: ArticleQuerySet,
    tag_links: models.QuerySet,
) -> ArticleQuerySet:
    """The articles sharing the next number of tags in `levels` (taken off it), in the related
    order, among `few` or `many` (the same articles, asked as suits each read).

    Many such articles are found by walking the popularity index (article_related_idx),
    counting each one's shared tags on the way: a slice stops after a few. Few are read by pk,
    with the next numbers' few while they stay few, ranked by the number shared: one query
    for them however they are spread, so a page asks as many queries at any size.
    """
    shared, ids = levels.pop(0)
    if len(ids) > RELATED_FETCH_BY_PK:
        counts = tag_links.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("*"))
        at_level = many.alias(shared_tags=Subquery(counts.values("n"), output_field=models.IntegerField()))
        return at_level.filter(shared_tags=shared).order_by(*RELATED_ORDER)
    batch = {shared: ids}
    while levels and len(levels[0][1]) + sum(map(len, batch.values())) <= RELATED_FETCH_BY_PK:
        shared, ids = levels.pop(0)
        batch[shared] = ids
    rank = Case(*(When(pk__in=ids, then=Value(shared)) for shared, ids in batch.items()))
    in_batch = few.filter(pk__in=[pk for ids in batch.values() for pk in ids])
    return in_batch.order_by(rank.desc(), *RELATED_ORDER)


class SearchQueryLogQuerySet(models.QuerySet):
    def between(self, start: datetime, end: datetime) -> SearchQueryLogQuerySet:
        return self.filter(created_at__gte=start, created_at__lt=end)

    def top_queries(self) -> SearchQueryLogQuerySet:
        """Each distinct query and language with its count, average results and click-throughs."""
        return (
            self.values("query", "language")
            .annotate(
                searches=Count("pk"),
                results=models.Avg("result_count"),
                clicks=Count("pk", filter=Q(clicked=True)),
            )
            .order_by("-searches", "query")
        )

    def without_results(self) -> SearchQueryLogQuerySet:
        return self.filter(result_count=0)
