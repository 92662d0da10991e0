"""Every registered staff dashboard (helpcenter/dashboards.py), its HTML page and each of its CSV
downloads, timed through Django's test client as a superuser, beside a constant view measured
in the same run through the same middleware.

    psql -h 127.0.0.1 -U postgres -qc 'create database hc_dashboards_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_dashboards_bench \\
        flock /tmp/hc-bench.lock .venv/bin/python bench/dashboards.py

The first run migrates, loads the demo content (brands, categories, articles) and adds, with
bulk_create, 100,000 search-log rows and 20,000 contact messages spread over the last 90 days
and the demo's brands (times of day, topics, first responses, resolutions, ratings, suggestion
checks) and article feedback with comments; later runs reuse them. Each run then counts the
finished days' searches and messages (`manage.py count_search_days`, `count_message_days`, as
cron would in production). Each URL is asked for
--passes times after a warm-up, for the 90-day period and all brands (every row counts); the
table gives the fastest and the median in ms, the median as a multiple of the constant view's,
and the queries each request ran. It replaces the "dashboards" block in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env  # noqa: E402

SEARCH_ROWS = 100_000
MESSAGES = 20_000
FEEDBACK = 6_000
DAYS = 90
SEED = 11
BUDGET_MS = 200
CONSTANT_PATH = "/bench-constant/"

# Served beside the site's own URLs for this process only: the reference, through the same
# middleware (sessions, auth, CSP, request log) as the dashboards.
urlpatterns: list = []


def _constant(request):
    from django.http import HttpResponse

    return HttpResponse(b"<!doctype html><title>constant</title><p>The same bytes every time.</p>\n")


def _use_bench_urls() -> None:
    from django.conf import settings
    from django.urls import clear_url_caches, path

    import helpcenter.urls

    urlpatterns[:] = [path(CONSTANT_PATH.strip("/") + "/", _constant), *helpcenter.urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    clear_url_caches()


def _moment(rng: random.Random, now):
    """A time in the last 90 days, busier in the daytime (Shanghai) and in recent weeks."""
    day = int(DAYS * rng.random() ** 1.3)
    hour = min(23, max(0, int(rng.gauss(14, 4))))
    return now - timedelta(days=day, hours=now.hour - hour, minutes=rng.randrange(60))


def fill() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from brands.models import Brand
    from contact.deflection_models import SuggestedArticle, SuggestionCheck
    from contact.models import ContactMessage
    from faq.models import Article, ArticleFeedback, SearchQueryLog

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Article.objects.exists():
        call_command("load_demo", verbosity=0)
    rng = random.Random(SEED)
    now = timezone.now()
    brands = list(Brand.objects.all()[:3])
    articles = list(Article.objects.published().values_list("pk", flat=True))
    print(f"{len(brands)} brands, {len(articles)} published articles", flush=True)
    if SearchQueryLog.objects.count() < SEARCH_ROWS:
        words = [
            "退款",
            "提现",
            "到账",
            "冻结",
            "密码",
            "银行卡",
            "实名",
            "手续费",
            "限额",
            "客服",
            "转账",
            "红包",
        ]
        rows = []
        for _ in range(SEARCH_ROWS - SearchQueryLog.objects.count()):
            found = rng.random() > 0.15
            clicked = found and rng.random() < 0.45
            rows.append(
                SearchQueryLog(
                    query="".join(rng.sample(words, rng.choice((1, 1, 2))))
                    + rng.choice(("", "", "怎么办", "多久")),
                    language="zh-hans" if rng.random() < 0.85 else "en",
                    brand=rng.choice([*brands, None]),
                    result_count=rng.randint(1, 40) if found else 0,
                    clicked=clicked,
                    opened_article_id=rng.choice(articles) if clicked else None,
                    created_at=_moment(rng, now),
                )
            )
        SearchQueryLog.objects.bulk_create(rows, batch_size=5000)
    if ContactMessage.objects.count() < MESSAGES:
        topics = [code for code, _ in ContactMessage.Topic.choices]
        messages = []
        for i in range(MESSAGES - ContactMessage.objects.count()):
            created = _moment(rng, now)
            answered = created + timedelta(minutes=rng.lognormvariate(5, 1)) if rng.random() < 0.9 else None
            resolved = (
                answered + timedelta(hours=rng.lognormvariate(2.5, 1))
                if answered and rng.random() < 0.8
                else None
            )
            rated = resolved and rng.random() < 0.35
            messages.append(
                ContactMessage(
                    reference=f"BN-{i:04d}-{rng.randrange(16**4):04X}",
                    brand=rng.choice(brands),
                    topic=rng.choice(topics),
                    name="张三",
                    email=f"user{i}@mail.example",
                    subject="退款没有到账",
                    message="我在三天前申请了退款，还没有到账。",
                    created_at=created,
                    first_response_at=answered,
                    resolved_at=resolved,
                    status=ContactMessage.Status.RESOLVED if resolved else ContactMessage.Status.RECEIVED,
                    rating=rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 4, 6))[0] if rated else None,
                    rated_at=resolved + timedelta(hours=rng.randint(1, 48)) if rated else None,
                )
            )
        ContactMessage.objects.bulk_create(messages, batch_size=2000)
        ids = list(ContactMessage.objects.values_list("pk", flat=True))
        checks = [SuggestionCheck(contact_message_id=pk, article_count=0) for pk in ids if rng.random() < 0.8]
        suggested = []
        for check in checks:
            if rng.random() < 0.45:
                picked = rng.sample(articles, rng.randint(1, 3))
                check.article_count = len(picked)
                suggested += [
                    SuggestedArticle(suggestion_check_id=check.contact_message_id, article_id=a, position=n)
                    for n, a in enumerate(picked, start=1)
                ]
        SuggestionCheck.objects.bulk_create(checks, batch_size=5000)
        SuggestedArticle.objects.bulk_create(suggested, batch_size=5000)
    if ArticleFeedback.objects.count() < FEEDBACK:
        comments = ["", "", "", "没有说到账时间", "步骤看不懂", "和实际界面不一样"]
        feedback = [
            ArticleFeedback(
                article_id=rng.choice(articles),
                visitor_id=f"bench-{i}",
                is_helpful=rng.random() < 0.7,
                comment=rng.choice(comments),
            )
            for i in range(FEEDBACK)
        ]
        ArticleFeedback.objects.bulk_create(feedback, batch_size=5000)
        # created_at is auto_now_add (bulk_create stamps "now"): spread the votes over the period.
        with connection.cursor() as cursor:
            table = ArticleFeedback._meta.db_table
            cursor.execute(f"UPDATE {table} SET created_at = created_at - (id % {DAYS}) * interval '1 day'")
    # The finished days' counts, as the nightly `count_search_days` and `count_message_days` keep
    # them in production (days already counted are skipped; today is always read from the rows).
    call_command("count_search_days", verbosity=0)
    call_command("count_message_days", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would have them in production
    print(
        f"{SearchQueryLog.objects.count()} searches, {ContactMessage.objects.count()} messages, "
        f"{ArticleFeedback.objects.count()} feedback rows",
        flush=True,
    )


def _time(client, url: str, params: dict, passes: int) -> tuple[list[float], int]:
    from django.db import connection

    response = client.get(url, params)  # warm-up
    assert response.status_code == 200, (url, params, response.status_code)
    statements = []
    # An execute wrapper sees every statement; the queries log is reset by request_started.
    with connection.execute_wrapper(
        lambda execute, sql, *rest: statements.append(sql) or execute(sql, *rest)
    ):
        client.get(url, params)
    timings = []
    for _ in range(passes):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(statements)


def measure(passes: int) -> tuple[list[list], float]:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    from helpcenter.dashboards import DASHBOARDS

    setup_test_environment()  # the test client's host ("testserver") is allowed
    _use_bench_urls()
    user, _ = User.objects.get_or_create(
        username="bench-dashboards", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    reference, _ = _time(client, CONSTANT_PATH, {}, passes)
    reference_ms = statistics.median(reference)
    rows = [["constant view (reference)", "—", f"{min(reference):.1f}", f"{reference_ms:.1f}", "1.0", "—"]]
    for dashboard in DASHBOARDS:
        page = client.get(dashboard.url, {"days": DAYS}).content.decode()
        tables = list(dict.fromkeys(re.findall(r"download=([\w-]+)", page)))
        for table in ["", *tables]:
            params = {"days": DAYS, **({"download": table} if table else {})}
            timings, queries = _time(client, dashboard.url, params, passes)
            median = statistics.median(timings)
            what = f"CSV `{table}`" if table else "page"
            rows.append(
                [
                    f"{dashboard.slug}: {what}",
                    queries,
                    f"{min(timings):.1f}",
                    f"{median:.1f}",
                    f"{median / reference_ms:.1f}",
                    "yes" if median <= BUDGET_MS else "**no**",
                ]
            )
            print(" | ".join(str(cell) for cell in rows[-1]), flush=True)
    return rows, reference_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    # The real (manifest) static storage, collected into a folder of the benchmark's own.
    os.environ.setdefault(
        django_env.STATIC_ROOT_VARIABLE, str(Path(tempfile.gettempdir()) / "hc-bench-dashboards-static")
    )
    os.environ.setdefault("DJANGO_LOG_LEVEL", "CRITICAL")
    os.environ.setdefault("DJANGO_RATELIMIT_ENABLE", "0")
    django_env.setup()
    from django.db import connection

    from bench.report import machine_summary, markdown_table, replace_block

    if connection.vendor != "postgresql":
        raise SystemExit("The dashboards' target is on PostgreSQL: set DATABASE_URL=postgres://...")
    fill()
    rows, reference_ms = measure(args.passes)
    table = markdown_table(
        [
            "URL (90 days, all brands)",
            "queries",
            "fastest ms",
            "median ms",
            "× constant",
            f"≤ {BUDGET_MS} ms",
        ],
        rows,
    )
    body = (
        f"Measured on {connection.vendor} ({machine_summary()}), a machine shared with other work, "
        f"{args.passes} passes after a warm-up; {SEARCH_ROWS:,} search-log rows, {MESSAGES:,} messages, "
        f"{FEEDBACK:,} feedback rows over {DAYS} days. The constant view's median was "
        f"{reference_ms:.1f} ms.\n\n{table}"
    )
    print(body)
    if not args.no_write:
        replace_block("dashboards", body)


if __name__ == "__main__":
    main()
