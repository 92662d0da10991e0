"""The next moment cached pages change with nobody saving anything: a scheduled article's
publish time, a scam alert's start or end. No cached page is kept past it."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone

from .versions import page_cache

NEXT_CHANGE_KEY = "pagecache:next-change:{version}"
_NONE = "none"


def _next_change_from_database(now: datetime) -> datetime | None:
    from faq.models import Article, Language
    from trust.models import ScamAlert

    instants = []
    for language in Language.values:  # one index range scan per language (article_visible_idx)
        instants.append(
            Article.objects.filter(language=language, status=Article.Status.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
    alerts = ScamAlert.objects.aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)), ends=Min("ends_at", filter=Q(ends_at__gt=now))
    )
    instants += [alerts["starts"], alerts["ends"]]
    found = [instant for instant in instants if instant is not None]
    return min(found) if found else None


def lifetime_until_scheduled_change(version: str, seconds: int) -> int:
    """`seconds`, or less when a scheduled change comes sooner: how long a value derived from
    this content version may be kept (0 or less: do not keep it)."""
    scheduled = next_scheduled_change(version)
    if scheduled is None:
        return seconds
    return min(seconds, int((scheduled - timezone.now()).total_seconds()))


def next_scheduled_change(version: str, now: datetime | None = None) -> datetime | None:
    """The next publish/alert instant after `now`, remembered per content version until it passes."""
    now = now or timezone.now()
    cache = page_cache()
    key = NEXT_CHANGE_KEY.format(version=version)
    cached = cache.get(key)
    if cached == _NONE:
        return None
    if isinstance(cached, datetime) and cached > now:
        return cached
    instant = _next_change_from_database(now)
    timeout = 3600 if instant is None else max(1, int((instant - now).total_seconds()))
    cache.set(key, _NONE if instant is None else instant, timeout)
    return instant
