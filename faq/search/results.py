"""The one way to search: ``search(text, filters)`` → ``SearchResult``.

Every caller goes through here: the results page, instant results, contact suggestions,
the JSON API, ``ArticleQuerySet.search`` and the benchmarks. It parses the text
(faq.search.query), ranks the matching articles (faq.search.backends) and hands back
the ranked articles, which get their highlighted titles and snippets
(faq.search.highlight) for the page or the few results actually shown.

The result carries two slots other parts fill: ``corrected_query`` (the spelling
correction of the query, when one was applied) and ``answer`` (a direct answer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from pagecache.schedule import lifetime_until_scheduled_change
from pagecache.versions import current_version

from .. import spelling
from .backends import Hits, ranked_ids
from .highlight import with_snippets
from .query import Query, parse_query

MIN_QUERY_CHARS = 2
#: The most articles one search returns (five pages of twenty).
RESULT_LIMIT = 100
RESULTS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class SearchFilters:
    """What the public may search: published articles of one language, narrowed to a brand
    (with the articles naming no brand) and a category when chosen."""

    language: str
    brand: Any = None
    category: Any = None

    def articles(self) -> QuerySet:
        # Looked up in the app registry, not imported: faq.models imports this package.
        articles = apps.get_model("faq", "Article").objects.visible(language=self.language, brand=self.brand)
        return articles.filter(category=self.category) if self.category is not None else articles

    def key(self) -> tuple:
        return (self.language, getattr(self.brand, "pk", None), getattr(self.category, "pk", None))


@dataclass
class SearchResult:
    query: Query
    #: The ranked articles (a QuerySet, so it paginates), each annotated with `search_score`.
    articles: QuerySet
    total: int
    #: The query actually searched when a spelling correction replaced what was typed.
    corrected_query: str | None = None
    #: A direct answer from the best article, when one clearly wins (None until then).
    answer: Any = None
    hits: Hits = field(default_factory=list, repr=False)

    def top(self, count: int) -> list:
        """The first `count` articles with `highlighted_title` and `snippet`."""
        return with_snippets(self.articles[:count], self.query)

    def page(self, number: Any, per_page: int) -> Page:
        """One page of the articles (`number` as the request gave it), with snippets."""
        page = Paginator(self.articles, per_page).get_page(number)
        page.object_list = with_snippets(page.object_list, self.query)
        return page


def search(
    text: str | Query,
    filters: SearchFilters | None = None,
    *,
    articles: QuerySet | None = None,
    limit: int = RESULT_LIMIT,
    cached: bool = True,
    answer: bool = False,
    correct: bool = True,
) -> SearchResult:
    """Search `articles` (a QuerySet: its filters are the search's), or what `filters` allow.

    Results by `filters` are cached per parsed query, filters and content version; an
    arbitrary QuerySet cannot be named in a cache key, so its searches always run. With
    `answer` (and `filters`, for the language), `SearchResult.answer` holds the direct answer
    when the best article clearly wins (faq/answers.py).
    A text with sound-alike typos (faq/spelling.py) is searched as corrected when that finds
    something, and the result says so in `corrected_query`; `correct=False` searches it as typed.
    """
    if correct and isinstance(text, str):
        corrected = spelling.corrected(text)
        if corrected is not None:
            result = search(
                corrected,
                filters,
                articles=articles,
                limit=limit,
                cached=cached,
                answer=answer,
                correct=False,
            )
            if result.total:
                result.corrected_query = corrected
                return result
    query = text if isinstance(text, Query) else parse_query(text)
    if articles is None:
        if filters is None:
            raise TypeError("search() needs filters or a QuerySet of articles")
        articles = filters.articles()
        hits = _cached_ranked_ids(query, filters, articles, limit) if cached else None
    else:
        hits = None
    if hits is None:
        hits = ranked_ids(query, articles, limit=limit)
    result = SearchResult(query=query, articles=_ranked(articles.model, hits), total=len(hits), hits=hits)
    if answer and filters is not None:
        # Imported here: faq.answer_service reads faq.models, which imports this package.
        from faq.answer_service import search_answer

        result.answer = search_answer(hits, words=query.words, query=query.text, language=filters.language)
    return result


def _ranked(model, hits: Hits) -> QuerySet:
    """The articles of `hits`, in their order, annotated with `search_position` and `search_score`.

    Each annotation is one raw CASE over the article id: built from Django's Case/When, the
    hundred Whens (each a filter to resolve) cost several milliseconds of Python per search,
    as much as the database's whole ranking of 100,000 articles."""
    if not hits:
        return model.objects.none()
    column = f'{connection.ops.quote_name(model._meta.db_table)}."id"'
    whens = " ".join("WHEN %s THEN %s" for _ in hits)
    positions = [value for position, (row_id, _) in enumerate(hits) for value in (row_id, position)]
    scores = [value for row_id, score in hits for value in (row_id, float(score))]
    return (
        model._default_manager.filter(pk__in=[row_id for row_id, _ in hits])
        .defer("body", "toc_html", "search_title", "search_summary", "search_body")
        .select_related("category")
        .prefetch_related("brands")
        .annotate(
            search_position=RawSQL(f"CASE {column} {whens} END", positions, output_field=IntegerField()),
            search_score=RawSQL(f"CASE {column} {whens} END", scores, output_field=FloatField()),
        )
        .order_by("search_position")
    )


def _cached_ranked_ids(query: Query, filters: SearchFilters, articles: QuerySet, limit: int) -> Hits:
    """`ranked_ids`, remembered per parsed query, filters and content version.

    The parsed query is already normalised (case, width, Traditional forms, stop words), so
    "忘记密码", "忘記密碼" and "忘记密码？" share an entry. A change to any article or synonym
    moves the content version; a scheduled article becoming visible caps the lifetime.
    """
    version = current_version()
    described = repr((query.terms, filters.key(), limit))
    key = f"faq:search:ids:{version}:{hashlib.sha256(described.encode()).hexdigest()}"
    hits = cache.get(key)
    if hits is None:
        hits = ranked_ids(query, articles, limit=limit)
        lifetime = lifetime_until_scheduled_change(version, RESULTS_CACHE_SECONDS)
        if lifetime > 0:
            cache.set(key, hits, lifetime)
    return hits
