"""CSAT over time: the ratings customers gave (1-5) in the period, per day (per week over 90
days), and per brand: how many, their average and the share of 4 and 5. Two queries whatever
the period holds; averages are computed here from SUM and COUNT, so SQLite (float AVG) and
PostgreSQL (numeric AVG) give the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from helpcenter.dashboards import Period

from .models import ContactMessage

#: A rating of 4 or 5 counts as satisfied (the usual CSAT definition).
SATISFIED = 4
#: Longer periods are shown per week (Monday to Sunday), so each point has enough ratings.
DAILY_UP_TO_DAYS = 31


@dataclass(frozen=True)
class Ratings:
    """How many ratings, their sum and how many were satisfied; the figures a row shows."""

    count: int = 0
    total: int = 0
    satisfied: int = 0

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    @property
    def satisfied_share(self) -> float | None:
        """The share of 4 and 5 ratings, in % (one decimal)."""
        return round(100 * self.satisfied / self.count, 1) if self.count else None


@dataclass
class CsatSummary:
    weekly: bool
    #: (first day of the day or week, its ratings), every day or week of the period in order.
    buckets: list[tuple[date, Ratings]]
    #: (brand name, its ratings) for the period, brands with ratings only, by name.
    brands: list[tuple[str, Ratings]]

    @property
    def overall(self) -> Ratings:
        return Ratings(
            count=sum(r.count for _, r in self.buckets),
            total=sum(r.total for _, r in self.buckets),
            satisfied=sum(r.satisfied for _, r in self.buckets),
        )


def _figures() -> dict:
    return {
        "count": Count("pk"),
        "total": Sum("rating"),
        "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED)),
    }


def _ratings(row: dict) -> Ratings:
    return Ratings(count=row["count"], total=row["total"] or 0, satisfied=row["satisfied"])


def _bucket_starts(period: Period, weekly: bool) -> list[date]:
    if not weekly:
        return period.days
    monday = period.first_day - timedelta(days=period.first_day.weekday())
    return [monday + timedelta(weeks=i) for i in range((period.last_day - monday).days // 7 + 1)]


def csat_summary(period: Period) -> CsatSummary:
    zone = timezone.get_current_timezone()
    weekly = len(period.days) > DAILY_UP_TO_DAYS
    trunc = TruncWeek if weekly else TruncDate
    rated = period.filter(ContactMessage.objects.filter(rating__isnull=False), "rated_at")
    per_bucket = rated.annotate(bucket=trunc("rated_at", tzinfo=zone)).values("bucket").annotate(**_figures())
    found = {}
    for row in per_bucket.order_by():
        # TruncDate gives a date, TruncWeek the local midnight that starts the week.
        bucket = row["bucket"]
        found[timezone.localtime(bucket, zone).date() if weekly else bucket] = _ratings(row)
    per_brand = rated.values("brand__name").annotate(**_figures()).order_by("brand__name")
    return CsatSummary(
        weekly=weekly,
        buckets=[(start, found.get(start, Ratings())) for start in _bucket_starts(period, weekly)],
        brands=[(row["brand__name"], _ratings(row)) for row in per_brand],
    )
