"""Knowledge-base writes that do more than save one form."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Article, ArticleFeedback


def _pending_views_key(article_id: int) -> str:
    return f"faq:views:pending:{article_id}"


def article_view_record(*, article_id: int) -> None:
    """Count one view of an article without writing to the database on every view.

    Views pile up in the cache (Redis in production, shared by every worker) and
    are added to `Article.view_count` at most once per article per
    ARTICLE_VIEW_FLUSH_SECONDS, by whichever request first finds the window open.
    """
    key = _pending_views_key(article_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.add(key, 1, timeout=None)
    if cache.add(f"faq:views:flushed:{article_id}", 1, timeout=settings.ARTICLE_VIEW_FLUSH_SECONDS):
        article_views_flush(article_ids=[article_id])


def article_views_flush(*, article_ids: list[int]) -> int:
    """Move pending cached views of these articles into the database; returns views written."""
    written = 0
    for article_id in article_ids:
        key = _pending_views_key(article_id)
        pending = cache.get(key) or 0
        if not pending:
            continue
        # decr rather than delete: views counted meanwhile stay pending.
        cache.decr(key, pending)
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + pending)
        written += pending
    return written


class AlreadyVoted(Exception):
    pass


@transaction.atomic
def article_feedback_create(
    *, article: Article, visitor_id: str, is_helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """Store one visitor's vote and bump the article's counter in the same transaction.

    The unique constraint on (article, visitor) is what enforces one vote per
    visitor, also under concurrent requests; the counters move with F() so that
    simultaneous votes never overwrite each other.
    """
    try:
        with transaction.atomic():
            feedback = ArticleFeedback.objects.create(
                article=article, visitor_id=visitor_id, is_helpful=is_helpful, comment=comment.strip()
            )
    except IntegrityError as exc:
        raise AlreadyVoted from exc
    counter = "helpful_count" if is_helpful else "not_helpful_count"
    Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    return feedback


def article_feedback_add_comment(*, feedback: ArticleFeedback, comment: str) -> ArticleFeedback:
    """Attach the optional "what was missing?" comment to a visitor's "no" vote."""
    feedback.comment = comment.strip()
    feedback.save(update_fields=["comment"])
    return feedback
