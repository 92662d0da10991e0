"""The support dashboard's numbers: messages per day by topic, first-response and resolution
percentiles. Two queries whatever the period holds; the percentiles are taken in Python so
SQLite and PostgreSQL give the same figures."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import ContactMessage

PERCENTILES = (50, 90)
CHART_HEIGHT = 120
BAR_STEP = 10  # SVG units per day; a bar is 8 wide


@dataclass
class SupportSummary:
    days: list[date]
    topics: list[tuple[str, str]]
    counts: dict[date, dict[str, int]]
    first_response: dict[int, timedelta | None]
    resolution: dict[int, timedelta | None]

    def rows(self) -> list[dict]:
        """One row per day: the counts in topic order, the day's total and its bar's height."""
        totals = [sum(self.counts[day].values()) for day in self.days]
        top = max(totals, default=0) or 1
        return [
            {
                "x": index * BAR_STEP,
                "day": day,
                "counts": [self.counts[day].get(code, 0) for code, _ in self.topics],
                "total": total,
                "bar": round(CHART_HEIGHT * total / top),
                "y": CHART_HEIGHT - round(CHART_HEIGHT * total / top),
            }
            for index, (day, total) in enumerate(zip(self.days, totals, strict=True))
        ]


def percentile(values: list[timedelta], p: int) -> timedelta | None:
    """Nearest-rank percentile (the smallest value with at least p% of values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def support_summary(*, first_day: date, last_day: date, brand=None) -> SupportSummary:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    messages = ContactMessage.objects.filter(created_at__gte=start, created_at__lt=end)
    if brand is not None:
        messages = messages.filter(brand=brand)
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    per_day = (
        messages.annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day", "topic")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in per_day:
        counts[row["day"]][row["topic"]] = row["n"]
    times = list(messages.values_list("created_at", "first_response_at", "resolved_at"))
    first = [answered - created for created, answered, _ in times if answered]
    resolved = [done - created for created, _, done in times if done]
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    return SupportSummary(
        days=days,
        topics=list(ContactMessage.Topic.choices),
        counts=counts,
        first_response={p: percentile(first, p) for p in PERCENTILES},
        resolution={p: percentile(resolved, p) for p in PERCENTILES},
    )
