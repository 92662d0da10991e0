"""Count contact messages per finished day for the support and deflection dashboards
(contact/message_days.py).

Run it every hour or after midnight with `count_search_days`
(deploy/systemd/helpcenter-day-counts.timer, or cron); a day it has not counted yet is read from
the messages, so a missed run makes the dashboards slower, never wrong.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from contact.message_days import message_day_count, message_days_count
from helpcenter.day_counts import settled


class Command(BaseCommand):
    help = "Count contact messages per finished day (the support and deflection dashboards read these)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=90, help="How many days back from yesterday (default 90)."
        )
        parser.add_argument(
            "--again", action="store_true", help="Count again the days already counted (a repair)."
        )

    def handle(self, *args, days: int = 90, again: bool = False, verbosity: int = 1, **options):
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        recent = [today - timedelta(days=n) for n in range(days, 0, -1)]
        if again:
            counted = [day for day in recent if settled(day)]
            for day in counted:
                message_day_count(day)
        else:
            counted = message_days_count(recent)
        if verbosity:
            self.stdout.write(f"{len(counted)} days counted")
