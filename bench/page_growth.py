"""The uncached path as content grows: each page's first request after a change, and the editor's save, at several sizes.

    .venv/bin/python bench/page_growth.py                          # 1,000, 20,000 and 100,000 articles, both databases
    .venv/bin/python bench/page_growth.py --sizes 1000 20000 --databases sqlite --no-docs

The corpora are built once and kept (a 100,000-article corpus takes minutes to generate):
SQLite files /tmp/<prefix>_<size>.sqlite3 and PostgreSQL databases <prefix>_<size>, each
size copied from the next smaller one (a file copy, or CREATE DATABASE ... TEMPLATE) and
grown with the generated articles of bench/pages.py. A later run reuses them (--rebuild
starts again). The PostgreSQL runs use Redis (--redis-db) for the cache, as production does.

At each size, in a child process (Django's test client, fastest and median of 5): an
article is saved, so the content version moved and every cache (pages, counts, rankings)
is cold; the save itself is timed (it includes the `content_committed` receivers: the
writer counting articles per category for the new version); then each page's first
request, its queries and SQL time, and the same page again from the page cache
(bench/page_cache.py's measurement). One row saves the article it then requests, so that
article's related list, kept per article version, is ranked again too.

It prints the tables and writes them into docs/benchmarks.md (blocks "page-growth-sqlite" and
"page-growth-postgres", --no-docs to skip). The machine is shared: run it under `flock /tmp/hc-bench.lock`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402
from bench.databases import POSTGRES_SERVER, _postgres  # noqa: E402
from bench.page_cache import _first_after_change  # noqa: E402

BASE_DIR = django_env.BASE_DIR
PYTHON = sys.executable
DOC_BLOCK = "page-growth"

PAGES = [
    ("article", "/a/account-locked-frozen/"),
    ("home", "/"),
    ("brand", "/b/kdpay/"),
    ("category", "/c/payments/"),
    ("contact form", "/contact/message/"),
    ("contact brand page", "/contact/kdpay/"),
    ("sitemap index", "/sitemap.xml"),
    ("article sitemap (page 1)", "/sitemap-articles.xml"),
]
LAST_SITEMAP_PAGE = "article sitemap (last page)"
# The other rows save a different article (refund-timelines), so this one's related list stays
# cached per its own version; saved itself, it is ranked again (faq/selectors.py related_articles).
OWN_EDIT = ("article after its own edit", "/a/account-locked-frozen/", "account-locked-frozen")
ROWS = [PAGES[0][0], OWN_EDIT[0], *(name for name, _path in PAGES[1:]), LAST_SITEMAP_PAGE]


# --- Child: build or measure one corpus ---------------------------------------------------------


def child_build(size: int) -> None:
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.pages import _generate_articles
    from faq.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    if not Article.objects.exists():
        call_command("load_demo", verbosity=0)
    existing = Article.objects.count()
    if size > existing:
        started = time.perf_counter()
        _generate_articles(size - existing, seed=size, first=existing)
        print(
            f"  generated {size - existing:,} articles in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM as autovacuum would after the bulk insert, so index-only scans
        # (the counts, the lists) find the visibility map set, as on a site that has run a while.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next size copies the file alone


def _save_costs(article) -> dict:
    """The editor's save: the row, the version moving and every `content_committed` receiver."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries = [], [], []
    for round_ in range(5):
        article.title = f"{article.title.split('·')[0]}·s{round_}"
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            article.save()
            cpu.append((time.process_time() - started_cpu) * 1000)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return {
        "ms": round(min(timings), 1),
        "median_ms": round(statistics.median(timings), 1),
        "cpu_ms": round(min(cpu), 1),
        "queries": max(queries),
    }


def child_measure() -> None:
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.pages import _server_version
    from faq.models import Article
    from faq.sitemaps import ArticleSitemap

    call_command("migrate", interactive=False, verbosity=0)  # a kept corpus may predate a migration
    article = Article.objects.get(slug="refund-timelines", language="zh-hans")
    client = Client()
    client.get("/")  # imports and template loading, paid once by every worker, not by a change
    pages = {name: _first_after_change(client, path, article) for name, path in PAGES}
    last = ArticleSitemap().paginator.num_pages
    pages[LAST_SITEMAP_PAGE] = _first_after_change(client, f"/sitemap-articles.xml?p={last}", article)
    name, path, slug = OWN_EDIT
    pages[name] = _first_after_change(client, path, Article.objects.get(slug=slug, language="zh-hans"))
    result = {
        "server_version": _server_version(connection),
        "articles": Article.objects.count(),
        "save": _save_costs(article),
        "pages": pages,
    }
    print(json.dumps(result, ensure_ascii=False))


# --- Parent: corpora and children ---------------------------------------------------------------


def _static_root(args: argparse.Namespace) -> Path:
    """collectstatic once into /tmp (pages need the manifest), reused by later runs."""
    root = Path(f"/tmp/{args.prefix}_static")
    if not (root / "staticfiles.json").exists():
        env = {**os.environ, django_env.STATIC_ROOT_VARIABLE: str(root)}
        subprocess.run(
            [PYTHON, str(BASE_DIR / "bench" / "pages.py"), "--child-collectstatic"], env=env, check=True
        )
    return root


def _environment(database: str, size: int, args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_LOG_LEVEL": "WARNING",
        django_env.STATIC_ROOT_VARIABLE: str(_static_root(args)),
    }
    env.pop("REDIS_URL", None)
    name = f"{args.prefix}_{size}"
    env["DJANGO_PAGE_CACHE_VERSION_FILE"] = f"/tmp/{name}-{database}.version"
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:////tmp/{name}.sqlite3"
    else:
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{name}"
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
    return env


def _exists(database: str, name: str) -> bool:
    if database == "sqlite":
        return Path(f"/tmp/{name}.sqlite3").exists()
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        )


def _drop(database: str, name: str) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"/tmp/{name}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _copy(database: str, source: str, target: str) -> None:
    if database == "sqlite":
        shutil.copyfile(f"/tmp/{source}.sqlite3", f"/tmp/{target}.sqlite3")
    else:
        _postgres(f"CREATE DATABASE {target} TEMPLATE {source}")


def build_corpora(database: str, args: argparse.Namespace) -> None:
    previous = None
    for size in sorted(args.sizes):
        name = f"{args.prefix}_{size}"
        if args.rebuild:
            _drop(database, name)
        if not _exists(database, name):
            print(f"[{database}] building {size:,} articles ({name})", file=sys.stderr, flush=True)
            if previous is not None:
                _copy(database, previous, name)
            elif database == "postgres":
                _postgres(f"CREATE DATABASE {name}")
            env = _environment(database, size, args)
            subprocess.run([PYTHON, __file__, "--child-build", str(size)], env=env, cwd=BASE_DIR, check=True)
        previous = name


def measure(database: str, size: int, args: argparse.Namespace) -> dict:
    env = _environment(database, size, args)
    if database == "postgres":
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # our own Redis database number only
    completed = subprocess.run(
        [PYTHON, __file__, "--child-measure"], env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True
    )
    if completed.returncode != 0:
        raise SystemExit(f"measuring {database} at {size:,} failed")
    return json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])


# --- Report -------------------------------------------------------------------------------------


def _grows(first: dict, last: dict) -> bool:
    """Constant: the same query count, and SQL time within 2× (or under 1 ms) from the smallest size."""
    if first["queries"] != last["queries"]:
        return True
    return last["sql_ms"] > 1 and last["sql_ms"] > 2 * first["sql_ms"]


def _cell(page: dict) -> str:
    return (
        f"{page['cold_ms']} ms ({page['cold_median_ms']}) · CPU {page['cpu_ms']} ms · {page['queries']} q · "
        f"{page['sql_ms']} ms SQL · hit {page['warm_ms']} ms"
    )


def render_report(results: dict[str, dict[int, dict]], command: str) -> str:
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {date} on {report.machine_summary()}, a machine shared with other work "
        "(figures are the fastest of 5, median in brackets; *CPU* is this process's own CPU "
        "time for the request, which waiting for a core does not inflate; the database "
        "server's share is in *SQL*).",
        "",
        f"    {command}",
        "",
    ]
    for database, by_size in results.items():
        sizes = sorted(by_size)
        any_result = by_size[sizes[0]]
        cache = "Redis" if database == "postgres" else "in-process cache"
        lines += [f"{any_result['server_version']} ({cache}):", ""]
        header = ["page", *(f"{size:,} articles" for size in sizes), f"{sizes[0]:,} → {sizes[-1]:,}"]
        rows = []
        for name in ROWS:
            cells = [by_size[size]["pages"][name] for size in sizes]
            verdict = "**grows**" if _grows(cells[0], cells[-1]) else "constant"
            rows.append([name, *(_cell(cell) for cell in cells), verdict])
        saves = [by_size[size]["save"] for size in sizes]
        rows.append(
            [
                "editor's save (with receivers)",
                *(
                    f"{save['ms']} ms ({save['median_ms']}) · CPU {save['cpu_ms']} ms · {save['queries']} q"
                    for save in saves
                ),
                "",
            ]
        )
        lines += [report.markdown_table(header, rows), ""]
    lines.append(
        "A page counts as constant when its query count does not change and its SQL time stays "
        "within 2× (or under 1 ms) from the smallest to the largest size."
    )
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 20_000, 100_000])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--prefix", default="hc_bench_growth", help="corpus names (default hc_bench_growth)")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database number for PostgreSQL runs")
    parser.add_argument("--rebuild", action="store_true", help="build the corpora again")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--child-build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        return child_build(args.child_build)
    if args.child_measure:
        return child_measure()
    command = ".venv/bin/python bench/page_growth.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    results: dict[str, dict[int, dict]] = {}
    for database in args.databases:
        build_corpora(database, args)
        results[database] = {}
        for size in sorted(args.sizes):
            result = results[database][size] = measure(database, size, args)
            print(
                f"[{database}] {size:,}: save {result['save']['ms']} ms, "
                + ", ".join(f"{n} {p['cold_ms']} ms/{p['queries']} q" for n, p in result["pages"].items()),
                file=sys.stderr,
                flush=True,
            )
    for database, by_size in results.items():
        # One block per database, so either can be measured again alone.
        text = render_report({database: by_size}, command)
        print()
        print(text)
        if not args.no_docs:
            report.replace_block(f"{DOC_BLOCK}-{database}", text)
            print(f"Written to {report.BENCHMARKS_DOC.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
