""" "Also asked as": alternative questions in the search index, and suggestions for new ones.

An article's alternative questions are indexed as part of its title: their tokens are appended
to `search_title`, the column both databases' full-text indexes are built from (PostgreSQL's
weight-A tsvectors, SQLite's FTS5 title column; faq/search), so they rank with title weight on
both without a new index. `Article.save()` includes them; `article_alternatives_reindex()`
rewrites the column when only the questions changed (the admin inline, accepting a suggestion).
That write is a queryset `update()`, which moves the content version, so cached pages and
cached search results built from the old index are not served again.

Suggestions come from the search log: a query whose searcher opened an article from the results
counts towards (query, article). They are only shown to editors; nothing is indexed until a
person accepts one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .answer_models import AlternativeQuestion, QuestionSuggestion
from .search import MIN_QUERY_CHARS, normalize, tokenize

#: The log masks e-mail addresses and long numbers as "[email]" and "[number]": such a query is
#: about one person's case, never a way to ask for an article.
_REDACTION_MARK = "["


def _index_text(text: str) -> str:
    return " ".join(tokenize(text))


def with_alternatives(title_tokens: str, alternatives: Iterable[str]) -> str:
    """What the index stores as an article's title: the title's tokens, then each question's."""
    return " ".join(text for text in (title_tokens, *map(_index_text, alternatives)) if text)


def article_alternative_texts(article) -> list[str]:
    """The article's alternative questions (from the prefetch cache when there is one)."""
    if article.pk is None:
        return []
    return [question.text for question in article.alternative_questions.all()]


def article_alternatives_reindex(article) -> None:
    """Write the article's title column again after its alternative questions changed."""
    from .models import Article

    texts = list(AlternativeQuestion.objects.filter(article=article).values_list("text", flat=True))
    Article.objects.filter(pk=article.pk).update(
        search_title=with_alternatives(_index_text(article.title), texts)
    )


def _already_asked(article, query: str) -> bool:
    known = {normalize(article.title), *(normalize(text) for text in article_alternative_texts(article))}
    return query in known


def question_suggestion_record(*, query: str, language: str, article) -> None:
    """Count one search for `query` (as logged: normalised, redacted) that opened `article`."""
    query = query.strip()
    if len(query) < MIN_QUERY_CHARS or _REDACTION_MARK in query or _already_asked(article, query):
        return
    now = timezone.now()
    same = QuestionSuggestion.objects.filter(article=article, query=query)
    if same.update(times=F("times") + 1, last_seen_at=now):
        return
    try:
        with transaction.atomic():
            QuestionSuggestion.objects.create(
                article=article, query=query, language=language, times=1, last_seen_at=now
            )
    except IntegrityError:  # another request created it first
        same.update(times=F("times") + 1, last_seen_at=now)


@transaction.atomic
def question_suggestions_accept(suggestions: QuerySet[QuestionSuggestion]) -> int:
    """Make the pending suggestions alternative questions of their articles; how many were."""
    accepted = list(suggestions.pending().select_related("article"))
    for suggestion in accepted:
        AlternativeQuestion.objects.get_or_create(article=suggestion.article, text=suggestion.query)
    QuestionSuggestion.objects.filter(pk__in=[s.pk for s in accepted]).update(
        status=QuestionSuggestion.Status.ACCEPTED
    )
    for article in {suggestion.article_id: suggestion.article for suggestion in accepted}.values():
        article_alternatives_reindex(article)
    return len(accepted)


def question_suggestions_dismiss(suggestions: QuerySet[QuestionSuggestion]) -> int:
    """Set pending suggestions aside; they keep counting searches but are not offered again."""
    return suggestions.pending().update(status=QuestionSuggestion.Status.DISMISSED)
