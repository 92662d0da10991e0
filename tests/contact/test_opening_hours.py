"""Opening-hours logic, table-driven: time zones (with DST), statutory holidays, 调休, exceptions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from contact.hours import (
    Schedule,
    ScheduleException,
    calendar_covers,
    day_plan,
    schedule_for,
    status_at,
    status_text,
    upcoming_changes,
    weekly_rows,
)
from tests.factories import BrandFactory, ChannelExceptionFactory, ChannelFactory, OpeningHoursFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
H = time


def weekdays(opens: time, closes: time, days=range(5)) -> dict[int, list[tuple[time, time]]]:
    return {day: [(opens, closes)] for day in days}


# A year no chinesecalendar release will cover for decades, laid out like 2027 (the Gregorian
# calendar repeats every 28 years): the "beyond the calendar's years" cases must not change
# meaning when next year's holiday data ships.
BEYOND_THE_CALENDAR = 2055
assert date(BEYOND_THE_CALENDAR, 1, 1).weekday() == date(2027, 1, 1).weekday()

WORKDAYS = Schedule(tz=SHANGHAI, weekly=weekdays(H(9), H(18)), follows_china_calendar=True)
WORKDAYS_PLAIN = Schedule(tz=SHANGHAI, weekly=weekdays(H(9), H(18)))
WORKDAYS_WITH_EXCEPTIONS = Schedule(
    tz=SHANGHAI,
    weekly=weekdays(H(9), H(18)),
    follows_china_calendar=True,
    exceptions=(
        ScheduleException(date(2026, 10, 10), date(2026, 10, 10), "培训"),
        ScheduleException(date(2026, 12, 24), date(2026, 12, 24), "平安夜", False, H(10), H(14)),
        ScheduleException(date(BEYOND_THE_CALENDAR, 2, 5), date(BEYOND_THE_CALENDAR, 2, 12), "春节"),
    ),
)
# Friday 20:00 until Saturday 02:00, stored as two rows.
LATE = Schedule(tz=SHANGHAI, weekly={4: [(H(20), H(0))], 5: [(H(0), H(2))]})
ALWAYS = Schedule(tz=SHANGHAI, weekly=weekdays(H(0), H(0), days=range(7)))
TWO_SLOTS = Schedule(tz=SHANGHAI, weekly=weekdays(H(9), H(12)) | {0: [(H(9), H(12)), (H(13), H(18))]})
NY = Schedule(tz=NEW_YORK, weekly=weekdays(H(9), H(17)) | {6: [(H(1), H(4))]})
LDN = Schedule(tz=LONDON, weekly=weekdays(H(8), H(20), days=range(7)))


def local(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


# (case, schedule, moment, is_open, closes_at, next_opens_at)
CASES = [
    (
        "weekday open",
        WORKDAYS,
        local(SHANGHAI, 2026, 11, 23, 10),
        True,
        local(SHANGHAI, 2026, 11, 23, 18),
        None,
    ),
    (
        "closing time is closed",
        WORKDAYS,
        local(SHANGHAI, 2026, 11, 23, 18),
        False,
        None,
        local(SHANGHAI, 2026, 11, 24, 9),
    ),
    (
        "before opening",
        WORKDAYS,
        local(SHANGHAI, 2026, 11, 24, 8, 59),
        False,
        None,
        local(SHANGHAI, 2026, 11, 24, 9),
    ),
    (
        "friday evening to monday",
        WORKDAYS,
        local(SHANGHAI, 2026, 11, 27, 19),
        False,
        None,
        local(SHANGHAI, 2026, 11, 30, 9),
    ),
    (
        "sunday night (week boundary)",
        WORKDAYS,
        local(SHANGHAI, 2026, 11, 29, 23, 59),
        False,
        None,
        local(SHANGHAI, 2026, 11, 30, 9),
    ),
    (
        "national day is closed",
        WORKDAYS,
        local(SHANGHAI, 2026, 10, 1, 10),
        False,
        None,
        local(SHANGHAI, 2026, 10, 8, 9),
    ),
    (
        "without the calendar national day is a thursday",
        WORKDAYS_PLAIN,
        local(SHANGHAI, 2026, 10, 1, 10),
        True,
        local(SHANGHAI, 2026, 10, 1, 18),
        None,
    ),
    (
        "调休 saturday opens",
        WORKDAYS,
        local(SHANGHAI, 2026, 10, 10, 10),
        True,
        local(SHANGHAI, 2026, 10, 10, 18),
        None,
    ),
    (
        "new year to make-up sunday",
        WORKDAYS,
        local(SHANGHAI, 2026, 1, 1, 10),
        False,
        None,
        local(SHANGHAI, 2026, 1, 4, 9),
    ),
    (
        "spring festival week",
        WORKDAYS,
        local(SHANGHAI, 2026, 2, 14, 18, 30),
        False,
        None,
        local(SHANGHAI, 2026, 2, 24, 9),
    ),
    (
        "exception closes a make-up day",
        WORKDAYS_WITH_EXCEPTIONS,
        local(SHANGHAI, 2026, 10, 10, 10),
        False,
        None,
        local(SHANGHAI, 2026, 10, 12, 9),
    ),
    (
        "exception special hours",
        WORKDAYS_WITH_EXCEPTIONS,
        local(SHANGHAI, 2026, 12, 24, 13),
        True,
        local(SHANGHAI, 2026, 12, 24, 14),
        None,
    ),
    (
        "after special hours",
        WORKDAYS_WITH_EXCEPTIONS,
        local(SHANGHAI, 2026, 12, 24, 15),
        False,
        None,
        local(SHANGHAI, 2026, 12, 25, 9),
    ),
    (
        "exception range beyond the calendar's years",
        WORKDAYS_WITH_EXCEPTIONS,
        local(SHANGHAI, BEYOND_THE_CALENDAR, 2, 8, 10),
        False,
        None,
        local(SHANGHAI, BEYOND_THE_CALENDAR, 2, 15, 9),
    ),
    (
        "beyond the calendar's years weekly hours apply",
        WORKDAYS,
        local(SHANGHAI, BEYOND_THE_CALENDAR, 1, 1, 10),
        True,
        local(SHANGHAI, BEYOND_THE_CALENDAR, 1, 1, 18),
        None,
    ),
    (
        "past midnight: open friday night until 02:00",
        LATE,
        local(SHANGHAI, 2026, 11, 27, 23),
        True,
        local(SHANGHAI, 2026, 11, 28, 2),
        None,
    ),
    (
        "past midnight: started yesterday",
        LATE,
        local(SHANGHAI, 2026, 11, 28, 1),
        True,
        local(SHANGHAI, 2026, 11, 28, 2),
        None,
    ),
    (
        "past midnight: closed after",
        LATE,
        local(SHANGHAI, 2026, 11, 28, 3),
        False,
        None,
        local(SHANGHAI, 2026, 12, 4, 20),
    ),
    (
        "lunch break",
        TWO_SLOTS,
        local(SHANGHAI, 2026, 11, 23, 12, 30),
        False,
        None,
        local(SHANGHAI, 2026, 11, 23, 13),
    ),
    (
        "second slot",
        TWO_SLOTS,
        local(SHANGHAI, 2026, 11, 23, 14),
        True,
        local(SHANGHAI, 2026, 11, 23, 18),
        None,
    ),
    (
        "moment given in another zone",
        WORKDAYS,
        datetime(2026, 11, 23, 2, tzinfo=UTC),
        True,
        local(SHANGHAI, 2026, 11, 23, 18),
        None,
    ),
    (
        "new york: weekend across the DST start",
        NY,
        local(NEW_YORK, 2026, 3, 6, 18),
        False,
        None,
        datetime(2026, 3, 8, 6, tzinfo=UTC),
    ),  # Sunday 01:00 EST
    (
        "new york: slot shortened by the DST start",
        NY,
        local(NEW_YORK, 2026, 3, 8, 1, 30),
        True,
        datetime(2026, 3, 8, 8, tzinfo=UTC),
        None,
    ),  # 04:00 EDT is 08:00 UTC: 2h30 after 01:30 EST
    (
        "new york: monday after DST is 13:00 UTC",
        NY,
        local(NEW_YORK, 2026, 3, 8, 5),
        False,
        None,
        datetime(2026, 3, 9, 13, tzinfo=UTC),
    ),
    (
        "new york: slot lengthened by the DST end",
        NY,
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT, before the clocks go back
        True,
        datetime(2026, 11, 1, 9, tzinfo=UTC),  # 04:00 EST: 3h30 later, not 2h30
        None,
    ),
    (
        "london: opens 07:00 UTC on the first BST day",
        LDN,
        datetime(2026, 3, 28, 21, tzinfo=UTC),
        False,
        None,
        datetime(2026, 3, 29, 7, tzinfo=UTC),
    ),
    (
        "london: closes 19:00 UTC on the first BST day",
        LDN,
        datetime(2026, 3, 29, 12, tzinfo=UTC),
        True,
        datetime(2026, 3, 29, 19, tzinfo=UTC),
        None,
    ),
]


@pytest.mark.parametrize(
    ("schedule", "moment", "is_open", "closes_at", "next_opens_at"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_at(schedule, moment, is_open, closes_at, next_opens_at):
    status = status_at(schedule, moment)
    assert status.is_open is is_open
    assert status.closes_at == closes_at
    if not is_open:
        assert status.next_opens_at == next_opens_at
        assert status.next_opens_at.tzinfo == schedule.tz  # shown in the channel's zone


def test_open_channel_reports_when_it_opens_again():
    status = status_at(WORKDAYS, local(SHANGHAI, 2026, 11, 27, 10))
    assert status.next_opens_at == local(SHANGHAI, 2026, 11, 30, 9)


def test_always_open_channel_never_closes():
    status = status_at(ALWAYS, local(SHANGHAI, 2026, 10, 1, 3))
    assert status.is_open and status.always_open
    assert status.closes_at is None


def test_channel_with_no_hours_is_closed_without_next_opening():
    status = status_at(Schedule(tz=SHANGHAI), local(SHANGHAI, 2026, 11, 23, 10))
    assert (status.is_open, status.next_opens_at) == (False, None)


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"),
    [
        (ALWAYS, local(SHANGHAI, 2026, 11, 23, 10), "Open 24 hours"),
        (WORKDAYS, local(SHANGHAI, 2026, 11, 23, 10), "Open now, closes at 18:00"),
        (WORKDAYS, local(SHANGHAI, 2026, 11, 23, 7), "Closed, opens today at 09:00"),
        (WORKDAYS, local(SHANGHAI, 2026, 11, 23, 19), "Closed, opens tomorrow at 09:00"),
        (WORKDAYS, local(SHANGHAI, 2026, 11, 27, 19), "Closed, opens Monday at 09:00"),
        (WORKDAYS, local(SHANGHAI, 2026, 10, 1, 10), "Closed, opens on 8 Oct 2026 at 09:00"),
        (WORKDAYS, local(SHANGHAI, 2026, 2, 14, 19), "Closed, opens on 24 Feb 2026 at 09:00"),
        (LATE, local(SHANGHAI, 2026, 11, 27, 23), "Open now, closes at 02:00"),
        (Schedule(tz=SHANGHAI), local(SHANGHAI, 2026, 11, 23, 10), "Closed"),
    ],
)
def test_status_text_in_english(schedule, moment, expected):
    with translation.override("en"):
        assert status_text(status_at(schedule, moment), moment, schedule.tz) == expected


def test_day_plan_labels_holidays_and_make_up_days():
    with translation.override("en"):
        assert day_plan(WORKDAYS, date(2026, 10, 1)).label == "National Day"
        make_up = day_plan(WORKDAYS, date(2026, 9, 20))
    assert make_up.intervals == [(H(9), H(18))]
    assert make_up.label == "Make-up working day"
    assert not day_plan(WORKDAYS, date(2026, 10, 8)).changed


def test_upcoming_changes_list_holidays_make_up_days_and_exceptions():
    changes = upcoming_changes(WORKDAYS_WITH_EXCEPTIONS, date(2026, 9, 28), days=14)
    days = [plan.day for plan in changes]
    assert date(2026, 10, 1) in days
    assert date(2026, 10, 10) in days  # staff exception over the make-up day
    assert date(2026, 10, 8) not in days
    assert next(p for p in changes if p.day == date(2026, 10, 10)).label == "培训"


def test_calendar_coverage_is_reported():
    assert calendar_covers(date(2026, 12, 31))
    assert not calendar_covers(date(2099, 1, 1))
    assert not calendar_covers(date(BEYOND_THE_CALENDAR, 1, 1))


def test_weekly_rows_mark_today():
    rows = weekly_rows(LATE, date(2026, 11, 27))
    assert [row["is_today"] for row in rows] == [False, False, False, False, True, False, False]
    with translation.override("en"):
        rows = weekly_rows(LATE, date(2026, 11, 27))
    assert rows[4]["hours"] == "20:00–24:00"
    assert rows[5]["hours"] == "00:00–02:00"
    assert rows[0]["hours"] == "Closed"


@pytest.mark.django_db
def test_schedule_for_reads_prefetched_rows_without_queries(django_assert_num_queries):
    from contact.models import Channel

    channel = ChannelFactory(brand=BrandFactory(time_zone="America/New_York"), follows_china_calendar=True)
    OpeningHoursFactory(channel=channel, weekday=0, opens_at="09:00", closes_at="12:00")
    OpeningHoursFactory(channel=channel, weekday=0, opens_at="13:00", closes_at="00:00")
    ChannelExceptionFactory(channel=channel, start_date=date(2026, 12, 31), end_date=date(2027, 1, 2))
    channel = Channel.objects.select_related("brand").prefetch_related("opening_hours", "exceptions").get()
    with django_assert_num_queries(0):
        schedule = schedule_for(channel)
    assert schedule.tz == NEW_YORK
    assert schedule.weekly == {0: [(H(9), H(12)), (H(13), H(0))]}
    assert schedule.exceptions[0].label == "春节"
    assert schedule.follows_china_calendar
