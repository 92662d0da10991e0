"""The support dashboard's numbers: messages per day by topic, first-response and resolution
percentiles. A fixed number of queries whatever the period holds: the counted days' figures
(contact/message_days.py), the other days' messages per day and topic, and the two waits'
percentiles, picked by the database (PostgreSQL's percentile_disc; on SQLite, ROW_NUMBER after
counting the waits), so nothing fetched grows with the messages and both give the same figures."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from helpcenter.dashboards import Period
from helpcenter.day_counts import uncounted

from .message_days import counted_message_days
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


WAITS = {"first_response": "first_response_at", "resolution": "resolved_at"}


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile of a duration (NULLs left out): the first value, in
    order, at or past rank ceil(p x count), which is `nearest_rank`. Aggregates with the same
    ORDER BY share one sort."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, p: int):
        super().__init__(expression, fraction=p / 100)


def wait_percentiles(messages: QuerySet) -> dict[str, dict[int, timedelta | None]]:
    """The percentiles of each wait in WAITS (its field - created_at), over the messages that have
    the field, in one query: on PostgreSQL an ordered-set aggregate (one sort per wait, a third
    of the window query's time on 20,000 messages), elsewhere `ranked_wait_percentiles`."""
    if connection.vendor != "postgresql":
        return ranked_wait_percentiles(messages)
    aggregates = {
        f"{name}_{p}": PercentileDisc(F(field) - F("created_at"), p)
        for name, field in WAITS.items()
        for p in PERCENTILES
    }
    found = messages.order_by().aggregate(**aggregates)
    return {name: {p: found[f"{name}_{p}"] for p in PERCENTILES} for name in WAITS}


def ranked_wait_percentiles(messages: QuerySet) -> dict[str, dict[int, timedelta | None]]:
    """The percentiles of each wait in WAITS (its field - created_at, over the messages that have
    the field), in two queries whatever their number: how many messages have each field, then the
    database numbers each wait in order (ROW_NUMBER; messages without the field are numbered after
    all the others, NULLS LAST) and returns only the rows at the percentiles' ranks."""
    counts = messages.order_by().aggregate(**{name: Count(field) for name, field in WAITS.items()})
    ranks = {name: {p: nearest_rank(p, counts[name]) for p in PERCENTILES} for name in WAITS}
    annotations, at_a_rank = {}, Q()
    for name, field in WAITS.items():
        wait = F(field) - F("created_at")
        annotations[f"{name}_wait"] = wait
        annotations[f"{name}_rank"] = Window(RowNumber(), order_by=wait.asc(nulls_last=True))
        at_a_rank |= Q(**{f"{name}_rank__in": set(ranks[name].values()), f"{field}__isnull": False})
    rows = messages.order_by().annotate(**annotations).filter(at_a_rank).values(*annotations)
    found: dict[str, dict[int, timedelta]] = {name: {} for name in WAITS}
    for row in rows:
        for name in WAITS:
            if row[f"{name}_wait"] is not None:
                found[name][row[f"{name}_rank"]] = row[f"{name}_wait"]
    return {name: {p: found[name].get(rank) for p, rank in ranks[name].items()} for name in WAITS}


def support_summary(period: Period, *, waits: bool = True) -> SupportSummary:
    """Messages per day and topic from the counted days (contact/message_days.py) and, for the
    others (today, at least), from the messages; the percentiles from the messages.
    `waits=False` leaves the percentiles empty without their query (the per-day CSV)."""
    zone = timezone.get_current_timezone()
    messages = period.filter(ContactMessage.objects.all(), "created_at")
    counted = counted_message_days(period)
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    for day, topics in counted.items():
        counts[day] = {topic: figures["messages"] for topic, figures in topics.items()}
    per_day = (
        messages.filter(uncounted(period.days, counted))
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day", "topic")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in per_day:
        counts[row["day"]][row["topic"]] = row["n"]
    percentiles = wait_percentiles(messages) if waits else {name: {} for name in WAITS}
    return SupportSummary(
        days=period.days,
        topics=list(ContactMessage.Topic.choices),
        counts=counts,
        first_response=percentiles["first_response"],
        resolution=percentiles["resolution"],
    )
