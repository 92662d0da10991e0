"""Messages sent although a suggested article matched: per day, how many messages were sent, how
many were checked (recorded since the check exists, contact/deflection.py), how many of those had
at least one article suggested, the share, and the articles suggested most often to people who
wrote anyway. Three queries whatever the period holds (per day: the counted days, then the
messages of the others)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from helpcenter.dashboards import Period
from helpcenter.day_counts import uncounted

from .deflection_models import SuggestedArticle
from .message_days import FIGURES, counted_message_days
from .models import ContactMessage

TOP_ARTICLES = 10


@dataclass(frozen=True)
class DeflectionDay:
    day: date
    sent: int = 0
    checked: int = 0
    matched: int = 0

    @property
    def matched_share(self) -> float | None:
        """Of the checked messages, the share (in %) sent although an article was suggested."""
        return round(100 * self.matched / self.checked, 1) if self.checked else None


@dataclass(frozen=True)
class SuggestedTop:
    article_id: int
    title: str
    messages: int


@dataclass
class DeflectionSummary:
    days: list[DeflectionDay]
    articles: list[SuggestedTop]

    @property
    def overall(self) -> DeflectionDay:
        return DeflectionDay(
            day=self.days[0].day if self.days else date.min,
            sent=sum(d.sent for d in self.days),
            checked=sum(d.checked for d in self.days),
            matched=sum(d.matched for d in self.days),
        )


def deflection_summary(period: Period, *, per_day: bool = True, articles: bool = True) -> DeflectionSummary:
    """`per_day`/`articles` False leave that part empty without querying (a CSV of the other)."""
    return DeflectionSummary(
        days=_days(period) if per_day else [],
        articles=_top_articles(period) if articles else [],
    )


def _days(period: Period) -> list[DeflectionDay]:
    """The counted days' figures (contact/message_days.py) and the other days' messages (today,
    at least): two queries."""
    zone = timezone.get_current_timezone()
    counted = counted_message_days(period)
    found = {
        day: DeflectionDay(day, *(sum(figures[name] for figures in topics.values()) for name in FIGURES))
        for day, topics in counted.items()
    }
    messages = period.filter(ContactMessage.objects.all(), "created_at").filter(
        uncounted(period.days, counted)
    )
    per_day = (
        messages.annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(
            sent=Count("pk"),
            checked=Count("suggestion_check"),
            matched=Count("pk", filter=Q(suggestion_check__article_count__gt=0)),
        )
        .order_by()
    )
    for row in per_day:
        found[row["day"]] = DeflectionDay(row["day"], row["sent"], row["checked"], row["matched"])
    return [found.get(day, DeflectionDay(day)) for day in period.days]


def _top_articles(period: Period) -> list[SuggestedTop]:
    # The check's key is its message's: matching the period's messages on it directly, rather
    # than through suggestion_check__contact_message, saves joining every check (half the time).
    messages = period.filter(ContactMessage.objects.all(), "created_at").values("pk")
    suggested = SuggestedArticle.objects.filter(article__isnull=False, suggestion_check_id__in=messages)
    top = (
        suggested.values("article_id", "article__title")
        .annotate(messages=Count("pk"))  # an article is in a message's suggestions once
        .order_by("-messages", "article__title", "article_id")[:TOP_ARTICLES]
    )
    return [SuggestedTop(row["article_id"], row["article__title"], row["messages"]) for row in top]
