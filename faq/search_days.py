"""Searches counted per finished local day (faq/search_day_models.py), for the search dashboard's
"searches per day": counted once a day has ended (`manage.py count_search_days`, e.g. from cron
after midnight; helpcenter/day_counts.py), read together with the log's own rows for the days not
counted yet (today, always). The counts are only a shortcut: a day nobody counted, or counted in another time zone
than the reader's, is read from the log, so the dashboard shows the same numbers either way.

A day's counts change after it ended when a result of one of its searches is opened (`clicked`
is set when it happens, hours later if the results page stayed open): `search_day_count` counts
that day again (faq/search_log.py). Counting a day takes its SearchDay row FOR UPDATE before it
reads the log, so a click committed before then is counted, and one committed after counts the
day again once the first counting is done.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from helpcenter.dashboards import Period
from helpcenter.day_counts import count_uncounted, day_start, local_days, recount_settled

from .models import SearchDay, SearchDayCount, SearchQueryLog


def search_day_count(day: date) -> None:
    """(Re)count the searches of `day`, a local day in the site's zone (settings.TIME_ZONE), per
    brand and language. Counting a day twice gives the same rows."""
    zone = timezone.get_default_timezone()
    with transaction.atomic():
        # The row must exist to be locked; a concurrent first counting of the day makes this wait
        # for it, then do nothing.
        SearchDay.objects.bulk_create([SearchDay(day=day, time_zone=zone.key)], ignore_conflicts=True)
        search_day = SearchDay.objects.select_for_update().get(day=day)
        logs = SearchQueryLog.objects.between(day_start(day, zone), day_start(day + timedelta(days=1), zone))
        counts = (
            logs.order_by()
            .values("brand", "language")
            .annotate(
                searches=Count("pk"),
                no_result=Count("pk", filter=Q(result_count=0)),
                opened=Count("pk", filter=Q(clicked=True)),
            )
        )
        search_day.counts.all().delete()
        SearchDayCount.objects.bulk_create(
            SearchDayCount(search_day=search_day, brand_id=row.pop("brand"), **row) for row in counts
        )
        search_day.time_zone, search_day.counted_at = zone.key, timezone.now()
        search_day.save(update_fields=["time_zone", "counted_at"])


def search_days_count(days: Iterable[date]) -> list[date]:
    """Count those of `days` that have ended (helpcenter/day_counts.py: settled) and are not
    counted yet in the site's zone; the days counted."""
    return count_uncounted(days, SearchDay, search_day_count)


def search_changed(at: datetime) -> None:
    """A logged search made at `at` changed (a result was opened): count its day again if the
    day has ended (its counts, if any, are out of date)."""
    search_days_recount({timezone.localtime(at, timezone.get_default_timezone()).date()})


def searched_days(logs: QuerySet[SearchQueryLog]) -> set[date]:
    """The local days (in the site's zone) of these searches, e.g. before they are deleted."""
    return local_days(logs)


def search_days_recount(days: Iterable[date]) -> None:
    """Searches of `days` changed: count again those of them that have ended."""
    recount_settled(days, search_day_count)


def counted_days(period: Period, language: str = "") -> dict[date, dict[str, int]]:
    """The period's counted days in the reader's zone (timezone.get_current_timezone()), each
    with its searches, no-result searches and opened searches for the period's brand and the
    language ("" for all): one query."""
    match = Q()
    if period.brand is not None:
        match &= Q(counts__brand=period.brand)
    if language:
        match &= Q(counts__language=language)
    rows = (
        SearchDay.objects.filter(
            day__gte=period.first_day,
            day__lte=period.last_day,
            time_zone=timezone.get_current_timezone_name(),
        )
        .values("day")
        .annotate(
            total=Sum("counts__searches", filter=match),
            no_result=Sum("counts__no_result", filter=match),
            opened=Sum("counts__opened", filter=match),
        )
        .order_by()
    )
    return {row.pop("day"): {name: value or 0 for name, value in row.items()} for row in rows}
