"""Requests per second and p50/p99 latency of the knowledge-base pages with many articles.

    .venv/bin/python bench/pages.py                 # 20,000 articles, SQLite then PostgreSQL
    .venv/bin/python bench/pages.py --articles 2000 --databases sqlite --duration 5 --no-docs

For each database the script:

1. creates a fresh database (SQLite: /tmp/hc_bench_pages.sqlite3; PostgreSQL:
   hc_bench_pages on 127.0.0.1, dropped again at the end), migrates it and loads the demo
   brands, categories and articles;
2. counts the queries of each page with Django's test client (at demo size, then at N
   articles), to show that they do not grow with the content;
3. adds generated articles up to N: variations of the demo articles (title, an extra
   section in the body, brands, tags, publish time, view counts), bulk-created, with each
   distinct body rendered once by faq.markdown.render_article;
4. serves the site with gunicorn on 127.0.0.1 (a free port in 8400-8499) and whitenoise,
   after `collectstatic` into a temporary STATIC_ROOT; the PostgreSQL run uses Redis
   (redis://127.0.0.1:6379/4) for the cache, as production does, the SQLite run the
   default in-process cache; the whole-page cache is off (DJANGO_PAGE_CACHE=0), so every
   request renders: bench/page_cache.py measures the site with it on;
5. warms up, then runs wrk for a fixed time per page type at a fixed concurrency: the home
   page, the six category pages, and article pages spread over many different articles
   (bench/wrk_paths.lua walks a list of URLs).

It prints Markdown tables and writes them, with the command and the date, into the
"Knowledge base pages" section of docs/benchmarks.md (`--no-docs` to skip).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402
from bench.databases import BenchDatabases  # noqa: E402
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

BASE_DIR = django_env.BASE_DIR
PYTHON = sys.executable
DATABASES = BenchDatabases("hc_bench_pages", redis_db=4)
PORTS = range(8400, 8500)
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_paths.lua"
PAGE_TYPES = ["home", "category", "article"]
DOC_BLOCK = "pages"

# Extra sections that turn one demo article into several realistic variants.
ZH_VARIANTS = [
    ("在安卓手机上", "在安卓手机上操作时，请先把钱包 App 更新到最新版本，再按上面的步骤进行。"),
    ("在苹果手机上", "iPhone 用户请在 App Store 更新钱包 App；如果按钮位置不同，请在“我的”页面中查找。"),
    ("在网页版上", "网页版的入口在页面右上角的头像菜单里，操作完成后请记得退出登录。"),
    ("换了新手机后", "换手机后第一次登录需要重新验证身份，请准备好注册时使用的手机号。"),
    ("在节假日期间", "法定节假日期间银行处理时间可能延长，到账时间以银行为准。"),
    ("出境旅行时", "在境外使用时可能需要额外的短信验证，请确认手机能接收短信。"),
    ("对于企业账户", "企业账户的部分操作需要管理员确认，请联系贵公司的账户管理员。"),
    ("第一次使用时", "新用户完成实名认证后才能使用全部功能，认证一般在几分钟内完成。"),
]
EN_VARIANTS = [
    (
        "on Android",
        "On Android, update the wallet app to the latest version first, then follow the steps above.",
    ),
    ("on iPhone", "On iPhone, update the app from the App Store; if a button has moved, look under “Me”."),
    (
        "on the web",
        "On the website, the same option is in the profile menu at the top right. Sign out when done.",
    ),
    (
        "after changing phones",
        "After changing phones you must confirm your identity again with your registered number.",
    ),
    (
        "during public holidays",
        "During public holidays banks may take longer; the bank's processing time applies.",
    ),
    (
        "while travelling abroad",
        "Abroad you may be asked for an extra SMS code; make sure your phone can receive texts.",
    ),
    ("for business accounts", "On business accounts some steps need an administrator's approval."),
    (
        "for new users",
        "New users can use every feature once their identity check is done, usually within minutes.",
    ),
]


# --- Child process: fill the database and count queries (Django configured by env) -------------


def _query_count_pages(*, generated_slug: str | None) -> dict[str, str]:
    from faq.models import Article

    zh_article = (
        Article.objects.visible(language="zh-hans").filter(original__isnull=True).order_by("slug").first()
    )
    en_article = Article.objects.visible(language="en").order_by("slug").first()
    pages = {
        "home": "/",
        "brand (kdpay)": "/b/kdpay/",
        "category (payments), page 1": "/c/payments/",
        "category (payments), last page": "/c/payments/?page=last",
        "category filtered by brand": "/c/payments/?brand=kdou",
        f"article (demo, zh: {zh_article.slug})": zh_article.get_absolute_url(),
        f"article (demo, en: {en_article.slug})": en_article.get_absolute_url(),
    }
    if generated_slug:
        pages[f"article (generated: {generated_slug})"] = f"/a/{generated_slug}/"
    return pages


def _measure_queries(pages: dict[str, str]) -> dict[str, dict]:
    """Queries, database time and in-process response time of each page, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for name, url in pages.items():
        response = client.get(url)  # warm-up: first view of an article also flushes its view count
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = context.captured_queries
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        slowest = max(queries, key=lambda query: float(query["time"]))
        results[name] = {
            "url": url,
            "queries": len(queries),
            "db_ms": round(sum(float(query["time"]) for query in queries) * 1000, 1),
            "response_ms": round(statistics.median(timings), 1),
            "slowest_ms": round(float(slowest["time"]) * 1000, 1),
            "slowest_sql": slowest["sql"],
        }
    return results


def _search_columns(*, title: str, summary: str, body: str) -> dict[str, object]:
    """The stored search columns Article.save() fills, so generated rows are as wide as real ones."""
    try:
        from faq.search import search_columns
    except ImportError:  # a version of the project without stored search columns
        return {}
    return search_columns(title=title, summary=summary, body=body)


def _generate_articles(count: int, *, seed: int, first: int = 0) -> int:
    """Bulk-create `count` variations of the demo articles, with their brands and tags.

    `first` numbers the new articles from there, so a database can be grown in steps.
    """
    from django.db import transaction
    from django.utils import timezone

    from brands.models import Brand
    from faq.markdown import render_article
    from faq.models import Article, Tag

    rng = random.Random(seed)
    demos = list(
        Article.objects.filter(pk__in=_demo_ids()).prefetch_related("tags").order_by("language", "slug")
    )
    brand_ids = list(Brand.objects.values_list("pk", flat=True))
    tag_ids = list(Tag.objects.values_list("pk", flat=True))
    demo_tags = {demo.pk: [tag.pk for tag in demo.tags.all()] for demo in demos}
    rendered: dict[tuple[int, int], dict[str, object]] = {}
    now = timezone.now()
    ArticleBrand, ArticleTag = Article.brands.through, Article.tags.through
    created = 0
    batch_size = 2000
    with transaction.atomic():
        for start in range(first, first + count, batch_size):
            articles = []
            for i in range(start, min(start + batch_size, first + count)):
                demo = demos[i % len(demos)]
                variants = EN_VARIANTS if demo.language == "en" else ZH_VARIANTS
                variant = (i // len(demos)) % len(variants)
                heading, paragraph = variants[variant]
                title = f"{demo.title} ({heading})" if demo.language == "en" else f"{demo.title}（{heading}）"
                if (demo.pk, variant) not in rendered:
                    # One Markdown render (and search tokenisation) per distinct body, not per row.
                    body = f"{demo.body.rstrip()}\n\n## {heading}\n\n{paragraph}\n"
                    html = render_article(body)
                    rendered[demo.pk, variant] = {
                        "body": body,
                        "body_html": html.html,
                        "toc_html": html.toc_html,
                        **_search_columns(title=title, summary=demo.summary, body=body),
                    }
                if i % 97 == 0:
                    status, published_at = Article.Status.PUBLISHED, now + timedelta(days=rng.randint(1, 30))
                elif i % 50 == 0:
                    status, published_at = Article.Status.DRAFT, now
                else:
                    status = Article.Status.PUBLISHED
                    published_at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                articles.append(
                    Article(
                        title=title,
                        slug=f"{demo.slug}-{i + 1}",
                        language=demo.language,
                        summary=demo.summary,
                        category_id=demo.category_id,
                        status=status,
                        published_at=published_at,
                        view_count=min(int(rng.paretovariate(1.2) * 20), 500_000),
                        helpful_count=rng.randint(0, 200),
                        not_helpful_count=rng.randint(0, 40),
                        **rendered[demo.pk, variant],
                    )
                )
            # PostgreSQL and SQLite >= 3.35 return the new primary keys, so the
            # many-to-many rows can be bulk-created right after.
            Article.objects.bulk_create(articles)
            brand_links, tag_links = [], []
            for offset, article in enumerate(articles):
                roll = rng.random()  # 45 % for every brand, 45 % one brand, 10 % two brands
                chosen_brands = [] if roll < 0.45 else rng.sample(brand_ids, 1 if roll < 0.9 else 2)
                brand_links += [ArticleBrand(article_id=article.pk, brand_id=pk) for pk in chosen_brands]
                chosen_tags = set(demo_tags[demos[(start + offset) % len(demos)].pk])
                if tag_ids and rng.random() < 0.3:
                    chosen_tags.add(rng.choice(tag_ids))
                tag_links += [ArticleTag(article_id=article.pk, tag_id=pk) for pk in chosen_tags]
            ArticleBrand.objects.bulk_create(brand_links)
            ArticleTag.objects.bulk_create(tag_links)
            created += len(articles)
    return created


def _demo_ids() -> list[int]:
    """The demo articles (generated ones have a numbered slug)."""
    from faq.models import Article

    return [
        pk for pk, slug in Article.objects.values_list("pk", "slug") if not slug.rsplit("-", 1)[-1].isdigit()
    ]


def child_fill(args: argparse.Namespace) -> None:
    """Runs in a child process whose environment chose the database; prints one JSON line."""
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection

    from brands.demo import load_demo_brands
    from faq.demo import load_demo_articles, load_demo_categories
    from faq.models import Article, Category

    call_command("migrate", interactive=False, verbosity=0)
    load_demo_brands()
    load_demo_categories()
    load_demo_articles()
    demo_articles = Article.objects.count()
    small = _measure_queries(_query_count_pages(generated_slug=None))

    started = time.perf_counter()
    _generate_articles(max(args.articles - demo_articles, 0), seed=args.seed)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for statement in args.after_fill_sql:
            cursor.execute(statement)
        # Fresh statistics for the planner, as autovacuum (PostgreSQL) or `PRAGMA optimize`
        # (SQLite) would have after a real import.
        cursor.execute("ANALYZE")

    rng = random.Random(args.seed)
    visible = list(Article.objects.visible(language="zh-hans").values_list("slug", flat=True)) + [
        f"en:{slug}" for slug in Article.objects.visible(language="en").values_list("slug", flat=True)
    ]
    generated = next(slug for slug in sorted(visible) if slug[-1].isdigit() and ":" not in slug)
    large = _measure_queries(_query_count_pages(generated_slug=generated))

    sample = rng.sample(visible, min(args.article_urls, len(visible)))
    article_paths = [f"/en/a/{slug[3:]}/" if slug.startswith("en:") else f"/a/{slug}/" for slug in sample]
    urls_dir = Path(args.urls_dir)
    (urls_dir / "home.txt").write_text("/\n")
    (urls_dir / "category.txt").write_text(
        "".join(f"{category.get_absolute_url()}\n" for category in Category.objects.all())
    )
    (urls_dir / "article.txt").write_text("".join(f"{path}\n" for path in article_paths))
    result = {
        "vendor": connection.vendor,
        "server_version": _server_version(connection),
        "articles": Article.objects.count(),
        "visible_articles": len(visible),
        "demo_articles": demo_articles,
        "fill_seconds": round(fill_seconds, 1),
        "queries_small": small,
        "queries_large": large,
    }
    print(json.dumps(result, ensure_ascii=False))


def _server_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def child_collectstatic() -> None:
    django_env.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


# --- Parent process: databases, gunicorn, wrk ---------------------------------------------------


def _run_child(option: str, env: dict[str, str], args: argparse.Namespace, urls_dir: Path) -> dict | None:
    command = [PYTHON, __file__, option, "--articles", str(args.articles), "--seed", str(args.seed)]
    command += ["--article-urls", str(args.article_urls), "--urls-dir", str(urls_dir)]
    for statement in args.after_fill_sql:
        command += ["--after-fill-sql", statement]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{option} failed")
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def _wrk(port: int, paths_file: Path, *, seconds: int, args: argparse.Namespace) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout", "10s",
        "-s", str(WRK_SCRIPT),
        f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    env = {**os.environ, "WRK_PATHS": str(paths_file)}
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = [line for line in completed.stdout.splitlines() if line.startswith("{")][-1]
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1_000_000)
    return figures


def _check_static(port: int) -> None:
    """Fail early if whitenoise does not serve the collected, compressed files."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        html = response.read().decode()
    start = html.index('href="/static/css/site.')
    url = html[start + 6 : html.index('"', start + 6)]
    request = urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.headers.get("Content-Encoding") != "gzip":
            raise SystemExit(f"whitenoise did not serve {url} compressed")


def run_database(database: str, args: argparse.Namespace, static_root: Path, work: Path) -> dict:
    # The rendering path: the whole-page cache would answer every repeated URL without a
    # query (bench/page_cache.py measures the site with it on, beside a constant view).
    env = {
        **os.environ,
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_PAGE_CACHE": "0",
        django_env.STATIC_ROOT_VARIABLE: str(static_root),
    }
    env.pop("REDIS_URL", None)
    env.update(DATABASES.prepare(database))
    urls_dir = work / database
    urls_dir.mkdir()
    print(f"[{database}] filling {args.articles:,} articles…", flush=True)
    result = _run_child("--child-fill", env, args, urls_dir)
    result["cache"] = "Redis (db 4)" if "REDIS_URL" in env else "in-process (locmem, per worker)"
    print(
        f"[{database}] {result['articles']:,} articles in {result['fill_seconds']} s; starting gunicorn",
        flush=True,
    )
    port = free_port(PORTS)
    log = work / f"gunicorn-{database}.log"
    server = start_gunicorn("bench.wsgi:application", port=port, workers=args.workers, env=env, log=log)
    try:
        _check_static(port)
        result["load"] = {}
        for page in PAGE_TYPES:
            paths = urls_dir / f"{page}.txt"
            _wrk(port, paths, seconds=args.warmup, args=args)
            load_average = os.getloadavg()[0]  # other work on the machine skews the figures
            figures = _wrk(port, paths, seconds=args.duration, args=args)
            figures["load_average"] = load_average
            result["load"][page] = figures
            print(
                f"[{database}] {page}: {figures['rps']:.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
                f"p99 {figures['p99_us'] / 1000:.1f} ms, {figures['status_errors']} non-2xx/3xx",
                flush=True,
            )
    finally:
        stop(server)
        if not args.keep:
            DATABASES.drop(database)
    errors = log.read_text() if log.exists() else ""
    # A sync worker busy for longer than gunicorn's timeout (30 s) is killed and restarted.
    result["worker_timeouts"] = errors.count("WORKER TIMEOUT")
    if "Traceback" in errors or result["worker_timeouts"]:
        print(f"[{database}] gunicorn logged errors:\n{errors[-3000:]}", file=sys.stderr)
    return result


# --- Report ------------------------------------------------------------------------------------


def _ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def render_report(results: dict[str, dict], args: argparse.Namespace, command: str) -> str:
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "### Throughput and latency",
        "",
        f"Measured {date} with `{command}`",
        "",
        f"{report.machine_summary()}; gunicorn {_gunicorn_version()} with {args.workers} sync workers; "
        f"wrk {args.threads} threads, {args.connections} connections, {args.warmup} s warm-up then "
        f"{args.duration} s per page type. The home page is one URL; the category figure cycles "
        f"through the six category pages; the article figure cycles through {args.article_urls:,} "
        "different published articles (Chinese and English). The machine's two cores also run "
        'wrk and other work: "Load before" is the 1-minute load average just before each '
        "measurement (above 2, other processes were competing for the CPU), so compare rows "
        "measured under similar load rather than with other machines.",
        "",
    ]
    rows = []
    for result in results.values():
        for page in PAGE_TYPES:
            figures = result["load"][page]
            rows.append(
                [
                    f"{result['server_version']}",
                    f"{result['articles']:,}",
                    result["cache"],
                    page,
                    f"{figures['rps']:.0f}",
                    _ms(figures["p50_us"]) if figures["requests"] else "– (none completed)",
                    _ms(figures["p99_us"]) if figures["requests"] else "–",
                    f"{figures['status_errors'] + figures['socket_errors']}",
                    f"{figures['load_average']:.1f}",
                ]
            )
    lines.append(
        report.markdown_table(
            [
                "Database",
                "Articles",
                "Cache",
                "Page",
                "Requests/s",
                "p50 (ms)",
                "p99 (ms)",
                "Errors",
                "Load before",
            ],
            rows,
        )
    )
    timeouts = {result["server_version"]: result["worker_timeouts"] for result in results.values()}
    if any(timeouts.values()):
        lines += [
            "",
            "gunicorn killed workers that were busy for over 30 s (WORKER TIMEOUT): "
            + ", ".join(f"{name}: {count}" for name, count in timeouts.items())
            + ".",
        ]
    lines += [
        "",
        "### Queries per page",
        "",
        "Counted with Django's test client and `CaptureQueriesContext` in the same run, after one "
        "warm-up request (the first view of an article also writes its pending view count, "
        "once per article per minute). "
        f"Demo size: the {next(iter(results.values()))['demo_articles']} demo articles; "
        "DB ms and response ms are at the large size, in-process (median of 5).",
        "",
    ]
    for result in results.values():
        rows = []
        for name, large in result["queries_large"].items():
            small = result["queries_small"].get(name)
            rows.append(
                [
                    name,
                    f"`{large['url']}`",
                    small["queries"] if small else "–",
                    large["queries"],
                    large["db_ms"],
                    large["response_ms"],
                ]
            )
        lines += [
            f"{result['server_version']}:",
            "",
            report.markdown_table(
                [
                    "Page",
                    "URL",
                    "Queries (demo)",
                    f"Queries ({result['articles']:,})",
                    "DB ms",
                    "Response ms",
                ],
                rows,
            ),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _gunicorn_version() -> str:
    from importlib.metadata import version

    return version("gunicorn")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=20_000, help="articles in the database (default 20000)"
    )
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page type (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page type (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument(
        "--article-urls", type=int, default=2000, help="different article URLs (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--after-fill-sql",
        action="append",
        default=[],
        metavar="SQL",
        help="SQL to run after filling, e.g. to try an index before writing its migration (repeatable)",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--child-fill", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-collectstatic", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_fill:
        return child_fill(args)
    if args.child_collectstatic:
        return child_collectstatic()

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    command = ".venv/bin/python bench/pages.py" + "".join(f" {shlex.quote(arg)}" for arg in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="hc_bench_pages_") as tmp:
        work = Path(tmp)
        static_root = work / "static"
        env = {**os.environ, django_env.STATIC_ROOT_VARIABLE: str(static_root)}
        subprocess.run([PYTHON, __file__, "--child-collectstatic"], env=env, cwd=BASE_DIR, check=True)
        results = {database: run_database(database, args, static_root, work) for database in args.databases}
    text = render_report(results, args, command)
    print()
    print(text)
    if not args.no_docs:
        report.replace_block(DOC_BLOCK, text)
        print(f"Written to {report.BENCHMARKS_DOC.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
