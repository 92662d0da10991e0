"""Count contact messages per finished day for the support and deflection dashboards
(contact/message_days.py).

Run it every hour or after midnight with `count_search_days`
(deploy/systemd/helpcenter-day-counts.timer, or cron); a day it has not counted yet is read from
the messages, so a missed run makes the dashboards slower, never wrong.
"""

from __future__ import annotations

from contact.message_days import message_day_count, message_days_count
from helpcenter.day_counts import CountDaysCommand


class Command(CountDaysCommand):
    help = "Count contact messages per finished day (the support and deflection dashboards read these)."
    count_day = staticmethod(message_day_count)
    count_days = staticmethod(message_days_count)
