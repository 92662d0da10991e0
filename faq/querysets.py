"""The knowledge base's query logic: what the public may see, in which order, for which brand.

Kept apart from the models (models.py) so that each reads as one thing: the tables there,
the questions asked of them here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
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

        Those sharing a tag are found from the tag links (an index on the tag) and counted one
        by one, instead of joining every visible article to its tags and grouping them all
        (410 ms at 20,000 articles on SQLite, 150 ms on PostgreSQL); the category's other
        articles, which share no tag, only fill the places left.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        links = self.model.tags.through.objects.filter(tag__in=tag_ids)
        shared_tags = links.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("*"))
        others = self.visible(language=article.language).exclude(pk=article.pk).listed()
        found = list(
            others.filter(pk__in=links.values("article"))
            .annotate(shared_tags=Subquery(shared_tags.values("n"), output_field=models.IntegerField()))
            .order_by("-shared_tags", "-is_featured", "-view_count", "pk")[:limit]
        )
        if len(found) < limit:
            same_category = others.filter(category_id=article.category_id).exclude(
                pk__in=[o.pk for o in found]
            )
            found += same_category.order_by("-is_featured", "-view_count", "pk")[: limit - len(found)]
        return found


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
