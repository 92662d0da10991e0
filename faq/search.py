"""Article search: how a query is matched and ranked.

Replaced by the segmented full-text search of the search issue; until then a
plain substring match over published articles keeps the search box useful.
"""

from __future__ import annotations

from django.db.models import Q

from brands.models import Brand

from .models import Article, ArticleQuerySet


def search_articles(query: str, *, language: str, brand: Brand | None = None) -> ArticleQuerySet:
    """Published articles in `language` (and brand) whose text contains the query."""
    query = query.strip()
    if len(query) < 2:
        return Article.objects.none()
    articles = Article.objects.visible(language=language, brand=brand)
    matches = Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
    return articles.filter(matches).for_list_page()
