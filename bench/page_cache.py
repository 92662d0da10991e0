"""Pages beside a constant-response Django view: the page cache warm and off, and the uncached path.

    .venv/bin/python bench/page_cache.py                 # the issue #9 table, both databases
    .venv/bin/python bench/page_cache.py --databases sqlite --sizes 1000 5000 --articles 5000 --duration 3 --no-docs

For each database (SQLite with the in-process cache, PostgreSQL with Redis db 12):

1. a fresh database (SQLite: /tmp/hc_bench_cache.sqlite3; PostgreSQL: hc_bench_cache,
   dropped at the end) with the demo content, grown to each size of --sizes with the
   generated articles of bench/pages.py;
2. in-process, at each size (Django's test client, fastest and median of 5): each page's first request
   after a content change (an article saved, so the content version moved and every cache
   is cold), its queries and SQL time, and the same page again from the page cache; the
   segmenter's cost per query and the p95 of uncached searches;
3. at --articles (20,000), gunicorn with --workers sync workers serving the site, and the
   same gunicorn settings serving bench/constant.py (a constant response, no middleware):
   wrk -t2 -c8 on each page with the page cache warm, then again with the page cache off
   (DJANGO_PAGE_CACHE=0: every request renders), each page in --rounds slices alternating
   with slices of the constant view. Ratios are the page's req/s over the constant view's
   req/s in the slices alternating with it (the machine is shared: load from elsewhere
   then slows both sides of a ratio alike).

It prints the tables and writes them into docs/benchmarks.md ("Page cache", --no-docs to
skip). The machine is shared: run it under `flock /tmp/hc-suite.lock`.
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
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402
from bench.databases import BenchDatabases  # noqa: E402
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

BASE_DIR = django_env.BASE_DIR
PYTHON = sys.executable
DATABASES = BenchDatabases("hc_bench_cache", redis_db=12)
PORTS = range(8500, 8600)
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_paths.lua"
DOC_BLOCK = "page-cache"
QUERY = "忘记密码"

# (name, path, goal as a ratio to the constant view with the page cache warm)
PAGES = [
    ("article", "/a/account-locked-frozen/", 0.7),
    ("home", "/", 0.7),
    ("brand", "/b/kdpay/", 0.7),
    ("category", "/c/payments/", 0.7),
    ("search API", f"/api/v1/search?q={quote(QUERY)}", 0.3),
    ("instant search", f"/search/instant/?q={quote(QUERY)}", 0.3),
    ("contact form", "/contact/message/", 0.5),
    ("contact brand page", "/contact/kdpay/", 0.5),
    ("robots.txt", "/robots.txt", None),
]
SEARCHES = [
    "忘记密码",
    "退款多久到账",
    "账户被冻结",
    "提现",
    "开发票",
    "换手机",
    "refund",
    "2FA",
    "KDPAY 转账",
    "登录不上去",
]


# --- Child: fill and measure in-process ----------------------------------------------------------


def _first_after_change(client, url: str, article) -> dict:
    from django.db import connection

    cold, cpu, warm, sql, queries = [], [], [], [], []
    for round_ in range(5):
        article.title = f"{article.title.split('·')[0]}·{round_}"
        article.save()  # moves the content version: every cached page and derived value is cold
        timings: list[float] = []

        def timed(execute, sql_text, params, many, context, timings=timings):
            # Timed here rather than read from connection.queries, which rounds to whole milliseconds.
            started = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                timings.append(time.perf_counter() - started)

        with connection.execute_wrapper(timed):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            # This process's own CPU time: on a loaded machine wall time mostly measures waiting
            # for a core (the PostgreSQL and Redis servers' share is in the SQL time).
            cpu.append((time.process_time() - started_cpu) * 1000)
            cold.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sql.append(sum(timings) * 1000)
        queries.append(len(timings))
        started = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - started) * 1000)
    return {
        # The fastest of 5 is the page's own cost (the machine is shared: anything else running
        # only adds time); the median is given beside it.
        "cold_ms": round(min(cold), 1),
        "cold_median_ms": round(statistics.median(cold), 1),
        "cpu_ms": round(min(cpu), 1),
        "sql_ms": round(min(sql), 2),
        "queries": max(queries),
        "warm_ms": round(statistics.median(warm), 2),
    }


def _search_costs() -> dict:
    from faq.search import SearchFilters, parse_query, search

    parse_query("预热")
    started = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        for text in SEARCHES:
            parse_query(text)
    segmenter_us = (time.perf_counter() - started) / (rounds * len(SEARCHES)) * 1_000_000
    timings = []
    for _ in range(5):
        for text in SEARCHES:
            started = time.perf_counter()
            # The result cache bypassed: this is the database's work.
            search(text, SearchFilters(language="zh-hans"), cached=False).top(20)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "segmenter_us": round(segmenter_us),
        "search_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
    }


def child_measure(args: argparse.Namespace) -> None:
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.pages import _generate_articles, _server_version
    from faq.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    if not Article.objects.exists():
        call_command("load_demo", verbosity=0)
    article = Article.objects.get(slug="refund-timelines", language="zh-hans")
    client = Client()
    results = {}
    for size in args.sizes:
        existing = Article.objects.count()
        if size > existing:
            _generate_articles(size - existing, seed=size, first=existing)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        pages = {name: _first_after_change(client, path, article) for name, path, _goal in PAGES}
        results[str(size)] = {"articles": Article.objects.count(), "pages": pages, "search": _search_costs()}
        print(
            f"  {size:,}: " + ", ".join(f"{n} {p['cold_ms']} ms" for n, p in pages.items()), file=sys.stderr
        )
    print(json.dumps({"server_version": _server_version(connection), "sizes": results}, ensure_ascii=False))


# --- Parent: databases, gunicorn, wrk ------------------------------------------------------------


def _measure_child(env: dict[str, str], sizes: list[int]) -> dict:
    command = [PYTHON, __file__, "--child-measure", "--sizes", *map(str, sizes)]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit("measuring child failed")
    return json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])


def _wrk(port: int, path: str, work: Path, *, seconds: int, args: argparse.Namespace) -> dict:
    paths = work / "path.txt"
    paths.write_text(path + "\n")
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    completed = subprocess.run(
        command, env={**os.environ, "WRK_PATHS": str(paths)}, capture_output=True, text=True, check=True
    )
    figures = json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1_000_000)
    return figures


def _paired(port: int, path: str, constant_port: int, work: Path, args: argparse.Namespace) -> dict:
    """The page and the constant view in alternating slices of --duration / --rounds seconds.

    The machine is shared: whatever else runs slows both sides of each pair alike, so the
    ratio compares the page with the constant view measured in the same few seconds.
    """
    slice_seconds = max(1, round(args.duration / args.rounds))
    _wrk(port, path, work, seconds=args.warmup, args=args)
    page, constant = [], []
    for _ in range(args.rounds):
        constant.append(_wrk(constant_port, "/", work, seconds=slice_seconds, args=args))
        page.append(_wrk(port, path, work, seconds=slice_seconds, args=args))

    def total(runs: list[dict]) -> dict:
        summed = {
            field: sum(run[field] for run in runs)
            for field in ("requests", "duration_us", "status_errors", "socket_errors")
        }
        summed["rps"] = summed["requests"] / (summed["duration_us"] / 1_000_000)
        summed["p50_us"] = statistics.median(run["p50_us"] for run in runs)
        return summed

    figures = total(page)
    figures["constant_rps"] = total(constant)["rps"]
    figures["ratio"] = figures["rps"] / figures["constant_rps"]
    figures["load_average"] = os.getloadavg()[0]
    return figures


def _series(port: int, constant_port: int, work: Path, args: argparse.Namespace, label: str) -> dict:
    series = {}
    _wrk(constant_port, "/", work, seconds=args.warmup, args=args)
    for name, path, _goal in PAGES:
        figures = series[name] = _paired(port, path, constant_port, work, args)
        print(
            f"    [{label}] {name}: {figures['rps']:.0f} req/s, constant {figures['constant_rps']:.0f} req/s "
            f"({figures['ratio']:.2f}×), p50 {figures['p50_us'] / 1000:.1f} ms, "
            f"{figures['status_errors'] + figures['socket_errors']} errors, load {figures['load_average']:.1f}",
            flush=True,
        )
    constant = [series[name]["constant_rps"] for name, _path, _goal in PAGES]
    series["constant"] = {"rps": statistics.mean(constant), "min": min(constant), "max": max(constant)}
    return series


def run_database(database: str, args: argparse.Namespace, static_root: Path, work: Path) -> dict:
    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING", django_env.STATIC_ROOT_VARIABLE: str(static_root)}
    env.pop("REDIS_URL", None)
    env.update(DATABASES.prepare(database))
    env["DJANGO_PAGE_CACHE_VERSION_FILE"] = str(work / f"version-{database}")
    try:
        small = [size for size in args.sizes if size <= args.articles]
        print(
            f"[{database}] in-process at {', '.join(f'{s:,}' for s in small + [args.articles])} articles",
            flush=True,
        )
        result = _measure_child(env, sorted({*small, args.articles}))
        port, constant_port = free_port(PORTS), None
        server = start_gunicorn(
            "bench.wsgi:application", port=port, workers=args.workers, env=env, log=work / f"{database}.log"
        )
        constant_port = free_port([p for p in PORTS if p != port])
        constant = start_gunicorn(
            "bench.constant:application", port=constant_port, workers=args.workers, env=env,
            log=work / f"{database}-constant.log",
        )  # fmt: skip
        try:
            result["warm"] = _series(port, constant_port, work, args, f"{database}, page cache warm")
            stop(server)
            server = start_gunicorn(
                "bench.wsgi:application", port=port, workers=args.workers,
                env={**env, "DJANGO_PAGE_CACHE": "0"}, log=work / f"{database}-off.log",
            )  # fmt: skip
            result["cold"] = _series(port, constant_port, work, args, f"{database}, page cache off")
        finally:
            stop(server)
            stop(constant)
        large = [size for size in args.sizes if size > args.articles]
        if large:
            print(f"[{database}] in-process at {', '.join(f'{s:,}' for s in large)} articles", flush=True)
            result["sizes"].update(_measure_child(env, large)["sizes"])
        result["cache"] = (
            f"Redis (db {DATABASES.redis_db})" if "REDIS_URL" in env else "in-process (per worker)"
        )
        return result
    finally:
        if not args.keep:
            DATABASES.drop(database)


# --- Report ------------------------------------------------------------------------------------


def render_report(results: dict[str, dict], args: argparse.Namespace, command: str) -> str:
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "### Page cache: pages beside a constant view",
        "",
        f"Measured {date} with `{command}` (under `flock /tmp/hc-suite.lock`)",
        "",
        f"{report.machine_summary()}; gunicorn with {args.workers} sync workers for the site and, with "
        f"the same settings, for `bench/constant.py` (a Django view returning a constant response, no "
        f"middleware); wrk -t{args.threads} -c{args.connections}, each page one URL repeated: "
        f"{args.warmup} s of warm-up, then {args.rounds} rounds of the constant view and the page "
        f"for {max(1, round(args.duration / args.rounds))} s each, alternating. *Warm*: the page cache "
        "on (every request after the first a hit). *Off*: `DJANGO_PAGE_CACHE=0`, every request "
        "renders (the derived caches, category counts and search result ids, stay warm as the URL "
        "repeats). × is the page's req/s over the constant view's req/s in the rounds alternating "
        "with it (the constant view row: the mean, and the range, over all pages' rounds).",
        "",
    ]
    for result in results.values():
        warm, cold = result["warm"], result["cold"]
        rows = [
            [
                "constant view (bench only)",
                "`/`",
                f"{warm['constant']['rps']:,.0f} ({warm['constant']['min']:,.0f}–{warm['constant']['max']:,.0f})",
                "1",
                f"{cold['constant']['rps']:,.0f} ({cold['constant']['min']:,.0f}–{cold['constant']['max']:,.0f})",
                "1",
                "",
                "",
            ]
        ]
        for name, path, goal in PAGES:
            ratio = warm[name]["ratio"]
            errors = warm[name]["status_errors"] + warm[name]["socket_errors"] + cold[name]["status_errors"]
            rows.append(
                [
                    name,
                    f"`{path}`",
                    f"{warm[name]['rps']:,.0f}",
                    f"**{ratio:.2f}**",
                    f"{cold[name]['rps']:,.0f}",
                    f"{cold[name]['ratio']:.3f}",
                    f"≥ {goal}" if goal else "",
                    ("met" if ratio >= goal else "**not met**") if goal else "",
                ]
                + ([] if not errors else [])
            )
        lines += [
            f"{result['server_version']}, {args.articles:,} articles, cache: {result['cache']}:",
            "",
            report.markdown_table(
                ["page", "URL", "warm req/s", "warm ×", "off req/s", "off ×", "goal (warm)", ""], rows
            ),
            "",
        ]
    sizes = sorted({int(size) for result in results.values() for size in result["sizes"]})
    lines += [
        "### Page cache: the uncached path as content grows",
        "",
        "In-process (Django's test client), fastest of 5 (median in brackets; the machine is shared "
        "and anything else running only adds time): each time an article is saved first, so the "
        "content version moved and every cache (pages, counts, search ids) is cold. *First* is the "
        "first request after that change; *queries* and *SQL* are that request's; *hit* is the "
        "same page again from the page cache.",
        "",
    ]
    for result in results.values():
        rows = []
        for name, _path, _goal in PAGES:
            row = [name]
            for size in sizes:
                page = result["sizes"][str(size)]["pages"][name]
                row.append(
                    f"{page['cold_ms']} ms ({page.get('cold_median_ms', '–')}) · {page['queries']} q · "
                    f"{page['sql_ms']} ms SQL · hit {page['warm_ms']} ms"
                )
            first, last = (
                result["sizes"][str(sizes[0])]["pages"][name],
                result["sizes"][str(sizes[-1])]["pages"][name],
            )
            grows = last["queries"] != first["queries"] or last["sql_ms"] > 2 * max(first["sql_ms"], 0.5)
            row.append("**grows**" if grows else "constant")
            rows.append(row)
        search_rows = [
            [
                "segmenter per query (µs)",
                *(f"{result['sizes'][str(s)]['search']['segmenter_us']}" for s in sizes),
                "",
            ],
            [
                "uncached search p95 (ms)",
                *(f"{result['sizes'][str(s)]['search']['search_p95_ms']}" for s in sizes),
                "",
            ],
        ]
        lines += [
            f"{result['server_version']} ({result['cache']}):",
            "",
            report.markdown_table(
                ["page", *(f"{size:,} articles" for size in sizes), f"{sizes[0]:,} → {sizes[-1]:,}"],
                rows + search_rows,
            ),
            "",
        ]
    lines.append(
        "SQL time counts as constant when it stays within 2× (or under 1 ms) from the smallest to "
        "the largest size and the query count does not change."
    )
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=20_000, help="articles for the wrk runs (default 20000)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 20_000, 100_000])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=6,
        help="seconds of wrk per page, and as many for the constant view (default 6)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating slices per page (default 3)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page (default 2)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--child-measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_measure:
        return child_measure(args)
    if shutil.which("wrk") is None:
        if os.geteuid() == 0:
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        else:
            raise SystemExit("wrk is missing: apt-get install wrk")
    command = ".venv/bin/python bench/page_cache.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="hc_bench_cache_") as tmp:
        work = Path(tmp)
        static_root = work / "static"
        env = {**os.environ, django_env.STATIC_ROOT_VARIABLE: str(static_root)}
        subprocess.run(
            [PYTHON, str(BASE_DIR / "bench" / "pages.py"), "--child-collectstatic"],
            env=env,
            cwd=BASE_DIR,
            check=True,
        )
        results = {database: run_database(database, args, static_root, work) for database in args.databases}
    text = render_report(results, args, command)
    print()
    print(text)
    if not args.no_docs:
        report.replace_block(DOC_BLOCK, text)
        print(f"Written to {report.BENCHMARKS_DOC.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
