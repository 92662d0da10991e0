"""The support dashboard's numbers: messages per day by topic, first-response and resolution
percentiles. Three queries whatever the period holds: the counts per day and topic, and for each
of the two waits the rows at the percentiles' ranks, picked by the database, so nothing fetched
grows with the messages and SQLite and PostgreSQL give the same figures."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from helpcenter.dashboards import Period

from .models import ContactMessage

PERCENTILES = (50, 90)


@dataclass
class SupportSummary:
    days: list[date]
    topics: list[tuple[str, str]]
    counts: dict[date, dict[str, int]]
    first_response: dict[int, timedelta | None]
    resolution: dict[int, timedelta | None]

    def rows(self) -> list[dict]:
        """One row per day: the counts in topic order and the day's total."""
        rows = []
        for day in self.days:
            counts = [self.counts[day].get(code, 0) for code, _ in self.topics]
            rows.append({"day": day, "counts": counts, "total": sum(counts)})
        return rows


def percentile(values: list[timedelta], p: int) -> timedelta | None:
    """Nearest-rank percentile (the smallest value with at least p% of values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[nearest_rank(p, len(ordered)) - 1]


def nearest_rank(p: int, count: int) -> int:
    """The 1-based rank of the p-th percentile among `count` ordered values (1 when empty)."""
    return max(math.ceil(p / 100 * count), 1)


def wait_percentiles(messages: QuerySet, field: str, count: int) -> dict[int, timedelta | None]:
    """The percentiles of `field` - created_at over the messages that have `field`, in one query
    whatever their number: the database numbers the waits in order (ROW_NUMBER, on SQLite and
    PostgreSQL alike) and returns only the rows at the percentiles' ranks."""
    ranks = {p: nearest_rank(p, count) for p in PERCENTILES}
    rows = (
        messages.filter(**{f"{field}__isnull": False})
        .annotate(wait=F(field) - F("created_at"))
        .annotate(rank=Window(RowNumber(), order_by=F("wait").asc()))
        .filter(rank__in=set(ranks.values()))
        .values_list("rank", "wait")
    )
    found = dict(rows)
    return {p: found.get(rank) for p, rank in ranks.items()}


def support_summary(period: Period) -> SupportSummary:
    zone = timezone.get_current_timezone()
    messages = period.filter(ContactMessage.objects.all(), "created_at")
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    per_day = (
        messages.annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day", "topic")
        .annotate(n=Count("pk"), answered=Count("first_response_at"), resolved=Count("resolved_at"))
        .order_by()
    )
    answered = resolved = 0
    for row in per_day:
        counts[row["day"]][row["topic"]] = row["n"]
        answered += row["answered"]
        resolved += row["resolved"]
    return SupportSummary(
        days=period.days,
        topics=list(ContactMessage.Topic.choices),
        counts=counts,
        first_response=wait_percentiles(messages, "first_response_at", answered),
        resolution=wait_percentiles(messages, "resolved_at", resolved),
    )
