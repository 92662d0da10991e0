"""Opening-hours logic as plain functions: is a channel open at a moment, when it closes, when it next opens.

A `Schedule` is built once from a channel's prefetched rows (`schedule_for`), then
everything else is pure: the moment is always passed in (convention 9), so tests
can use any instant and time zone.

Precedence for a local date, highest first:
1. a staff exception covering the date (closed, or special hours);
2. for channels that follow the mainland-China working calendar (chinese_calendar):
   a statutory holiday closes the channel; a make-up working day (调休, a Saturday or
   Sunday that is a working day) opens it with the hours of a normal working day;
3. the weekly hours for the weekday.
chinese_calendar only knows the years its release covers (2004-2026 for 1.11); for a
later year `calendar_covers()` is False, rule 2 is skipped (weekly hours apply) and
the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How far ahead "next opens" looks; a channel closed longer than this shows "closed".
HORIZON_DAYS = 31
MIDNIGHT = time(0)

HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
}


@dataclass(frozen=True)
class ScheduleException:
    start: date
    end: date
    label: str
    closed: bool = True
    opens_at: time | None = None
    closes_at: time | None = None


@dataclass(frozen=True)
class Schedule:
    tz: ZoneInfo
    # weekday (0 = Monday) -> [(opens_at, closes_at)], closes_at 00:00 meaning midnight.
    weekly: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    exceptions: tuple[ScheduleException, ...] = ()
    follows_china_calendar: bool = False


@dataclass(frozen=True)
class DayPlan:
    day: date
    intervals: list[tuple[time, time]]
    label: str = ""  # why the day differs from the weekly hours ("春节", "Make-up working day")
    changed: bool = False


@dataclass(frozen=True)
class Status:
    is_open: bool
    closes_at: datetime | None = None  # None while open means open for the whole horizon (24/7)
    next_opens_at: datetime | None = None
    label: str = ""  # the exception or holiday in effect today

    @property
    def always_open(self) -> bool:
        return self.is_open and self.closes_at is None


def schedule_for(channel) -> Schedule:
    """A Schedule from a Channel whose opening_hours and exceptions are prefetched (no queries)."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    for row in channel.opening_hours.all():
        weekly.setdefault(row.weekday, []).append((row.opens_at, row.closes_at))
    exceptions = tuple(
        ScheduleException(e.start_date, e.end_date, e.localized_label, e.is_closed, e.opens_at, e.closes_at)
        for e in channel.exceptions.all()
    )
    return Schedule(
        tz=channel.brand.tz,
        weekly={day: sorted(slots) for day, slots in weekly.items()},
        exceptions=exceptions,
        follows_china_calendar=channel.follows_china_calendar,
    )


@lru_cache(maxsize=2048)
def _calendar_detail(day: date) -> tuple[bool, bool, str | None] | None:
    """(is_workday, is_holiday, holiday name) from chinese_calendar, None outside its years."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        return chinese_calendar.is_workday(day), is_holiday, name
    except NotImplementedError:
        return None


def calendar_covers(day: date) -> bool:
    return _calendar_detail(day) is not None


def _workday_hours(schedule: Schedule) -> list[tuple[time, time]]:
    # A make-up working day gets the hours of the first weekday (Monday-Friday) that has any.
    for weekday in range(5):
        if schedule.weekly.get(weekday):
            return schedule.weekly[weekday]
    return []


def day_plan(schedule: Schedule, day: date) -> DayPlan:
    """The intervals a channel is open on one local date, after exceptions and the calendar."""
    for exc in schedule.exceptions:
        if exc.start <= day <= exc.end:
            slots = [] if exc.closed else [(exc.opens_at, exc.closes_at)]
            return DayPlan(day, slots, exc.label, changed=True)
    if schedule.follows_china_calendar:
        detail = _calendar_detail(day)
        if detail is not None:
            is_workday, is_holiday, name = detail
            if is_holiday and name:
                return DayPlan(day, [], str(HOLIDAY_NAMES.get(name, name)), changed=True)
            if is_workday and day.weekday() >= 5:
                return DayPlan(day, _workday_hours(schedule), _("Make-up working day"), changed=True)
    return DayPlan(day, list(schedule.weekly.get(day.weekday(), [])))


def _aware(day: date, at: time, tz: ZoneInfo) -> datetime:
    # Round-trip through UTC so a wall time inside a DST gap maps to a real instant.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


def _blocks(schedule: Schedule, start_day: date, days: int) -> list[tuple[datetime, datetime]]:
    """Open intervals as aware datetimes over `days` local dates, touching intervals merged."""
    blocks: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        for opens, closes in day_plan(schedule, day).intervals:
            begin = _aware(day, opens, schedule.tz)
            end = (
                _aware(day + timedelta(days=1), MIDNIGHT, schedule.tz)
                if closes == MIDNIGHT
                else _aware(day, closes, schedule.tz)
            )
            if blocks and begin <= blocks[-1][1]:
                blocks[-1] = (blocks[-1][0], max(end, blocks[-1][1]))
            else:
                blocks.append((begin, end))
    return blocks


def status_at(schedule: Schedule, at: datetime) -> Status:
    """Whether the channel is open at `at` (aware), when it closes, and when it next opens."""
    local = at.astimezone(schedule.tz)
    # Start a day early so an interval that began yesterday (and merges into today) counts.
    start_day = local.date() - timedelta(days=1)
    blocks = _blocks(schedule, start_day, HORIZON_DAYS + 1)
    horizon_end = _aware(start_day + timedelta(days=HORIZON_DAYS + 1), MIDNIGHT, schedule.tz)
    label = day_plan(schedule, local.date()).label
    for begin, end in blocks:
        if begin <= at < end:
            if end >= horizon_end:
                return Status(True, label=label)
            later = [b for b, _e in blocks if b >= end]
            return Status(
                True,
                closes_at=end.astimezone(schedule.tz),
                next_opens_at=later[0].astimezone(schedule.tz) if later else None,
                label=label,
            )
        if begin > at:
            return Status(False, next_opens_at=begin.astimezone(schedule.tz), label=label)
    return Status(False, label=label)


def next_transition(schedule: Schedule, at: datetime) -> datetime | None:
    """The next instant after `at` when the channel opens or closes; None if it does neither
    within the horizon (open around the clock, or closed for longer)."""
    status = status_at(schedule, at)
    return status.closes_at if status.is_open else status.next_opens_at


def next_local_midnight(tz: ZoneInfo, at: datetime) -> datetime:
    """The next midnight in `tz` after `at`, when "today" and "tomorrow" on the pages move."""
    return _aware(at.astimezone(tz).date() + timedelta(days=1), MIDNIGHT, tz)


def _hm(value: datetime | time) -> str:
    return value.strftime("%H:%M")


def status_text(status: Status, at: datetime, tz: ZoneInfo) -> str:
    """The user's view of a Status in the active language: "Open now, closes at 18:00", "Opens tomorrow at 09:00"."""
    if status.always_open:
        return _("Open 24 hours")
    if status.is_open:
        return _("Open now, closes at %(time)s") % {"time": _hm(status.closes_at)}
    if status.next_opens_at is None:
        return _("Closed")
    today = at.astimezone(tz).date()
    opens = status.next_opens_at
    if opens.date() == today:
        return _("Closed, opens today at %(time)s") % {"time": _hm(opens)}
    if opens.date() == today + timedelta(days=1):
        return _("Closed, opens tomorrow at %(time)s") % {"time": _hm(opens)}
    if opens.date() < today + timedelta(days=7):
        return _("Closed, opens %(weekday)s at %(time)s") % {
            "weekday": formats.date_format(opens, "l"),
            "time": _hm(opens),
        }
    return _("Closed, opens on %(date)s at %(time)s") % {
        "date": formats.date_format(opens, "SHORT_DATE_FORMAT"),
        "time": _hm(opens),
    }


def format_intervals(intervals: list[tuple[time, time]]) -> str:
    """ "09:00–18:00, 19:00–22:00"; "Open 24 hours"; "Closed"."""
    if not intervals:
        return _("Closed")
    if intervals == [(MIDNIGHT, MIDNIGHT)]:
        return _("Open 24 hours")
    return ", ".join(f"{_hm(a)}–{'24:00' if b == MIDNIGHT else _hm(b)}" for a, b in intervals)


def weekly_rows(schedule: Schedule, today: date) -> list[dict]:
    """The weekly table, Monday first, with today's row marked."""
    from .models import Weekday

    return [
        {
            "weekday": Weekday(day).label,
            "hours": format_intervals(schedule.weekly.get(day, [])),
            "is_today": day == today.weekday(),
        }
        for day in range(7)
    ]


def upcoming_changes(schedule: Schedule, today: date, days: int = 45) -> list[DayPlan]:
    """Dates in the next `days` whose hours differ from the weekly table (exceptions, holidays, 调休)."""
    plans = [day_plan(schedule, today + timedelta(days=offset)) for offset in range(days)]
    return [plan for plan in plans if plan.changed]


@dataclass(frozen=True)
class ChannelHours:
    """What the contact pages show about one channel at one moment."""

    channel: object
    status: Status | None  # None for channels without opening hours (email, website, social accounts)
    text: str
    weekly: list[dict]
    upcoming: list[DayPlan]


def channel_hours(channels, at: datetime, *, upcoming_days: int = 45) -> list[ChannelHours]:
    """Status, weekly table and upcoming changes for prefetched channels (for_contact_page), no queries."""
    result = []
    for channel in channels:
        schedule = schedule_for(channel)
        today = at.astimezone(schedule.tz).date()
        if not schedule.weekly and not schedule.exceptions:
            result.append(ChannelHours(channel, None, "", [], []))
            continue
        status = status_at(schedule, at)
        result.append(
            ChannelHours(
                channel=channel,
                status=status,
                text=status_text(status, at, schedule.tz),
                weekly=weekly_rows(schedule, today),
                upcoming=upcoming_changes(schedule, today, upcoming_days),
            )
        )
    return result
