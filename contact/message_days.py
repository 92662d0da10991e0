"""Contact messages counted per finished local day (contact/message_day_models.py), for the
support dashboard's messages per day by topic and the deflection dashboard's messages per day:
counted once a day has ended (`manage.py count_message_days`, e.g. from cron after midnight;
helpcenter/day_counts.py), read together with the messages of the days not counted yet (today,
always). A day nobody counted, or counted in another zone than the reader's, is read from the
messages, so the dashboards show the same numbers either way.

What is counted does not change after a message is sent (its day, brand and topic, and the
suggestion check recorded in the same transaction, contact/deflection.py); deleting messages in
the admin counts their days again. The waits (first response, resolution) change later and are
never counted here: the percentiles always read the messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from helpcenter.dashboards import Period
from helpcenter.day_counts import count_uncounted, day_start, local_days, recount_settled

from .message_day_models import MessageDay, MessageDayCount
from .models import ContactMessage

FIGURES = ("messages", "checked", "matched")


def message_day_count(day: date) -> None:
    """(Re)count the messages of `day`, a local day in the site's zone, per brand and topic.
    Counting a day twice gives the same rows; the day's MessageDay row is locked meanwhile."""
    zone = timezone.get_default_timezone()
    with transaction.atomic():
        MessageDay.objects.bulk_create([MessageDay(day=day, time_zone=zone.key)], ignore_conflicts=True)
        message_day = MessageDay.objects.select_for_update().get(day=day)
        messages = ContactMessage.objects.filter(
            created_at__gte=day_start(day, zone), created_at__lt=day_start(day + timedelta(days=1), zone)
        )
        counts = (
            messages.order_by()
            .values("brand", "topic")
            .annotate(
                messages=Count("pk"),
                checked=Count("suggestion_check"),
                matched=Count("pk", filter=Q(suggestion_check__article_count__gt=0)),
            )
        )
        message_day.counts.all().delete()
        MessageDayCount.objects.bulk_create(
            MessageDayCount(message_day=message_day, brand_id=row.pop("brand"), **row) for row in counts
        )
        message_day.time_zone, message_day.counted_at = zone.key, timezone.now()
        message_day.save(update_fields=["time_zone", "counted_at"])


def message_days_count(days: Iterable[date]) -> list[date]:
    """Count those of `days` that have ended and are not counted yet in the site's zone."""
    return count_uncounted(days, MessageDay, message_day_count)


def message_days(messages: QuerySet[ContactMessage]) -> set[date]:
    """The local days (site's zone) of these messages, e.g. before they are deleted."""
    return local_days(messages)


def message_days_recount(days: Iterable[date]) -> None:
    """Messages of `days` changed: count again those of them that have ended."""
    recount_settled(days, message_day_count)


def counted_message_days(period: Period) -> dict[date, dict[str, dict[str, int]]]:
    """The period's counted days in the reader's zone: per day, per topic, the FIGURES of the
    period's brand (all brands when none). One query."""
    match = Q(counts__brand=period.brand) if period.brand is not None else Q()
    rows = (
        MessageDay.objects.filter(
            day__gte=period.first_day,
            day__lte=period.last_day,
            time_zone=timezone.get_current_timezone_name(),
        )
        .values("day", "counts__topic")
        .annotate(**{name: Sum(f"counts__{name}", filter=match) for name in FIGURES})
        .order_by()
    )
    days: dict[date, dict[str, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        topics = days[row["day"]]  # a day with no message has no topic, but is counted
        if row["counts__topic"] is not None and row["messages"]:
            topics[row["counts__topic"]] = {name: row[name] for name in FIGURES}
    return days
