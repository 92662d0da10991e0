"""What the dashboards' per-day counts share (faq/search_days.py, contact/message_days.py): which
days may be counted, and the rows a dashboard still reads from the source table.

A day is counted once it has ended in the site's zone (settings.TIME_ZONE) and SETTLE has passed,
so a row stamped just before midnight by a request that commits just after is in the table when
its day is counted. A dashboard reads the counted days of its reader's zone from the counts and
the other days (today, always) from the rows themselves: counts are a shortcut, never the truth.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from django.db.models import Q
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
