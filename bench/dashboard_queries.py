"""The knowledge-base dashboards' queries (faq/dashboard.py, faq/dashboard_ratings.py), each timed
by itself for 90 days and all brands and for one brand, beside a reference measured in the same
run: one COUNT(*) over the whole search log, the least a query over those rows can cost.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_dashboards_bench \\
        flock /tmp/hc-bench.lock .venv/bin/python bench/dashboard_queries.py

It uses bench/dashboards.py's data (100,000 search-log rows, 6,000 votes over 90 days; filled
on first use). Where bench/dashboards.py times whole pages, this says which query costs what.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env  # noqa: E402


def _median_ms(run, passes: int) -> float:
    run()  # warm-up
    timings = []
    for _ in range(passes):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=9)
    args = parser.parse_args()
    os.environ.setdefault(
        django_env.STATIC_ROOT_VARIABLE, str(Path(tempfile.gettempdir()) / "hc-bench-dashboards-static")
    )
    os.environ.setdefault("DJANGO_LOG_LEVEL", "CRITICAL")
    django_env.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.dashboards import DAYS, fill
    from bench.report import machine_summary, markdown_table
    from brands.models import Brand
    from faq import dashboard, dashboard_ratings
    from faq.models import SearchQueryLog
    from helpcenter.dashboards import Period

    fill()
    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS - 1)
    periods = {
        "all brands": Period(first_day=first_day, last_day=today),
        "one brand": Period(first_day=first_day, last_day=today, brand=Brand.objects.first()),
    }
    reference = _median_ms(lambda: SearchQueryLog.objects.count(), args.passes)
    queries = {
        "searches that found nothing": dashboard.no_result_queries,
        "searches no one opened": dashboard.unopened_queries,
        "searches per day": dashboard.searches_per_day,
        "least helpful articles": dashboard_ratings.least_helpful_articles,
        "most 'not helpful' comments (2 queries)": dashboard_ratings.most_commented_articles,
        "votes per day": dashboard_ratings.votes_per_day,
    }
    rows = [["COUNT(*) over the search log (reference)", f"{reference:.1f}", "1.0", "", ""]]
    for name, function in queries.items():
        cells = [name]
        for period in periods.values():
            median = _median_ms(lambda function=function, period=period: function(period), args.passes)
            cells += [f"{median:.1f}", f"{median / reference:.1f}"]
        rows.append(cells)
        print(" | ".join(cells), flush=True)
    table = markdown_table(
        ["query (90 days)", "all brands ms", "× reference", "one brand ms", "× reference"], rows
    )
    print(f"Measured on {connection.vendor} ({machine_summary()}), {args.passes} passes, median.\n\n{table}")


if __name__ == "__main__":
    main()
