"""What the dashboards' per-day counts share (faq/search_days.py, contact/message_days.py): which
days may be counted, and the rows a dashboard still reads from the source table.

A day is counted once it has ended in the site's zone (settings.TIME_ZONE) and SETTLE has passed,
so a row stamped just before midnight by a request that commits just after is in the table when
its day is counted. A dashboard reads the counted days of its reader's zone from the counts and
the other days (today, always) from the rows themselves: counts are a shortcut, never the truth.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

SETTLE = timedelta(minutes=5)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def settled(day: date, now: datetime | None = None) -> bool:
    """Whether `day` (local to the site's zone) ended at least SETTLE ago."""
    end = day_start(day + timedelta(days=1), timezone.get_default_timezone())
    return end + SETTLE <= (now or timezone.now())


def uncounted(days: list[date], counted: Iterable[date], field: str = "created_at") -> Q:
    """`field` within the local days (reader's zone) of `days` (consecutive, in order) that are
    not in `counted`: one range per run of consecutive uncounted days. With none, a condition no
    row meets that still runs its query, so a page's query count stays the same."""
    zone = timezone.get_current_timezone()
    counted = set(counted)
    ranges, run = [], []
    for day in [*days, None]:
        if day is not None and day not in counted:
            run.append(day)
            continue
        if run:
            start, end = day_start(run[0], zone), day_start(run[-1] + timedelta(days=1), zone)
            ranges.append(Q(**{f"{field}__gte": start, f"{field}__lt": end}))
            run = []
    return reduce(operator.or_, ranges) if ranges else Q(pk__isnull=True)


def count_uncounted(
    days: Iterable[date], day_model: type[Model], count_day: Callable[[date], None]
) -> list[date]:
    """Count (with `count_day`) those of `days` that have ended and that `day_model` has not
    counted yet in the site's zone; the days counted."""
    finished = {day for day in days if settled(day)}
    zone_name = timezone.get_default_timezone().key
    counted = set(
        day_model.objects.filter(day__in=finished, time_zone=zone_name).values_list("day", flat=True)
    )
    todo = sorted(finished - counted)
    for day in todo:
        count_day(day)
    return todo


def recount_settled(days: Iterable[date], count_day: Callable[[date], None]) -> None:
    """Rows of `days` changed: count again those of them that have ended."""
    for day in sorted(days):
        if settled(day):
            count_day(day)


def local_days(rows: QuerySet, field: str = "created_at") -> set[date]:
    """The local days (site's zone) of these rows' `field`, e.g. before they are deleted."""
    zone = timezone.get_default_timezone()
    return {moment.date() for moment in rows.datetimes(field, "day", tzinfo=zone)}


class CountDaysCommand(BaseCommand):
    """`manage.py count_..._days`: count the finished days of the last --days not counted yet,
    or (--again) every one of them. Subclasses name their two counting functions."""

    count_day: Callable[[date], None]
    count_days: Callable[[list[date]], list[date]]

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=90, help="How many days back from yesterday (default 90)."
        )
        parser.add_argument(
            "--again", action="store_true", help="Count again the days already counted (a repair)."
        )

    def handle(self, *args, days: int = 90, again: bool = False, verbosity: int = 1, **options):
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        finished = [today - timedelta(days=n) for n in range(days, 0, -1)]
        if again:
            counted = [day for day in finished if settled(day)]
            for day in counted:
                self.count_day(day)
        else:
            counted = self.count_days(finished)
        if verbosity:
            self.stdout.write(f"{len(counted)} days counted")
