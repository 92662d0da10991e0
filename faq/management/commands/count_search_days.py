"""Count the search log per finished day for the search dashboard (faq/search_days.py).

Run it every hour or after midnight (deploy/systemd/helpcenter-day-counts.timer, or cron); a
day it has not counted yet is read from the log, so a missed run makes the dashboard slower,
never wrong.
"""

from __future__ import annotations

from faq.search_days import search_day_count, search_days_count
from helpcenter.day_counts import CountDaysCommand


class Command(CountDaysCommand):
    help = "Count the search log per finished day (the search dashboard reads these counts)."
    count_day = staticmethod(search_day_count)
    count_days = staticmethod(search_days_count)
