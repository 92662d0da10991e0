"""Knowledge-base writes that do more than save one form."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F

from .models import Article, ArticleFeedback


class _PendingViews:
    """Article views counted in this process since the last write to the database.

    Every view is counted here, in memory, and the whole batch is written at most once
    per ARTICLE_VIEW_FLUSH_SECONDS per worker process, one `UPDATE ... + n` per article
    in one transaction. A view therefore never waits for a database write of its own,
    however the traffic is spread over articles. What a process has not written yet is
    lost if it is killed (at most one window of views), which is acceptable for a
    popularity counter.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[int] = Counter()
        self._last_flush = time.monotonic()

    def add(self, article_id: int) -> bool:
        """Count one view; True when the window is over and the batch should be written."""
        with self._lock:
            self._counts[article_id] += 1
            return time.monotonic() - self._last_flush >= settings.ARTICLE_VIEW_FLUSH_SECONDS

    def take(self) -> dict[int, int]:
        with self._lock:
            counts, self._counts = dict(self._counts), Counter()
            self._last_flush = time.monotonic()
            return counts

    def give_back(self, counts: dict[int, int]) -> None:
        with self._lock:
            self._counts.update(counts)


_pending_views = _PendingViews()


def article_view_record(*, article_id: int) -> None:
    """Count one view of an article without writing to the database on every view."""
    if _pending_views.add(article_id):
        article_views_flush()


def article_views_flush() -> int:
    """Write this process's pending views to the database; returns how many views were written."""
    counts = _pending_views.take()
    try:
        with transaction.atomic():
            for article_id, views in sorted(counts.items()):
                Article.objects.filter(pk=article_id).update(view_count=F("view_count") + views)
    except DatabaseError:
        # Keep them for the next window rather than lose them to a passing outage.
        _pending_views.give_back(counts)
        raise
    return sum(counts.values())


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
