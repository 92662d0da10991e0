"""Count the search log per finished day for the search dashboard (faq/search_days.py).

Run it every hour or after midnight (deploy/systemd/helpcenter-day-counts.timer, or cron); a
day it has not counted yet is read from the log, so a missed run makes the dashboard slower,
never wrong.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from faq.search_days import search_day_count, search_days_count
from helpcenter.day_counts import settled


class Command(BaseCommand):
    help = "Count the search log per finished day (the search dashboard reads these counts)."

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
                search_day_count(day)
        else:
            counted = search_days_count(finished)
        if verbosity:
            self.stdout.write(f"{len(counted)} days counted")
