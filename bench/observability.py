"""What a page-cache hit costs per request, beside a constant view, in one process.

    .venv/bin/python bench/observability.py              # prints the table and writes docs/benchmarks.md
    .venv/bin/python bench/observability.py --no-docs

One Python process calls Django's WSGI handler directly (no server, no network: the
differences are small, and a server's noise would hide them) for three stacks, taking
turns round by round so the machine's load falls on all three alike:

- constant: bench/constant.py's view, no middleware (Django's own cost per request);
- Django's handler: the site's middleware with hits answered by PageCacheMiddleware inside
  Django's handler (how hits were answered before the hit path);
- hit path: the site as served (helpcenter/wsgi.py: pagecache/wsgi.py in front of Django's
  handler), with the request id, the JSON log line and the per-view metrics.

Pages: /robots.txt, an article and the contact form, answered from the page cache, on a
fresh SQLite database with the demo data. Metrics run in
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, as under gunicorn) and the log lines go to a file.
Run it under `flock /tmp/hc-suite.lock`: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
SECTION = "### The hit path in front of Django, in one process"


def prepare(work: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'site.sqlite3'}"
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(work / "prometheus")
    os.environ["DJANGO_PAGE_CACHE_VERSION_FILE"] = str(work / "version")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_REPLICA_URL", None)
    (work / "prometheus").mkdir()
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
            timeout=600,
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=1000, help="requests per stack per round")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hc_bench_obs_"))
    prepare(work)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
    import django
    from django.conf import settings

    django.setup()
    site_urls, full = settings.ROOT_URLCONF, list(settings.MIDDLEWARE)
    import bench.constant  # noqa: F401 - sets up Django again and empties MIDDLEWARE: undone below

    settings.ROOT_URLCONF, settings.MIDDLEWARE = site_urls, full
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    log_file = (work / "log.jsonl").open("a")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(log_file)
    from django.core.handlers.wsgi import WSGIHandler

    from faq.models import Article
    from pagecache.wsgi import PageCacheApplication

    stacks = {"hit path": (site_urls, PageCacheApplication(WSGIHandler()))}
    stacks["Django's handler"] = (site_urls, WSGIHandler())
    settings.MIDDLEWARE = []
    stacks["constant"] = ("bench.constant", WSGIHandler())
    settings.MIDDLEWARE = full
    article = Article.objects.visible(language="zh-hans").first()
    paths = {
        "robots.txt": "/robots.txt",
        "article": article.get_absolute_url(),
        "contact form": "/contact/message/",
    }

    def call(app, path: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        body = app(environ, lambda *a: None)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()

    results: dict[str, dict[str, float]] = {}
    for page, path in paths.items():
        timings: dict[str, list[float]] = {name: [] for name in stacks}
        for _ in range(args.rounds + 1):  # the first round warms up (and fills the page cache)
            for name, (urls, app) in stacks.items():
                settings.ROOT_URLCONF = urls
                started = time.perf_counter()
                # The constant view answers "/" (its catch-all route passes an argument it does not take).
                target = "/" if name == "constant" else path
                for _ in range(args.requests):
                    call(app, target)
                timings[name].append((time.perf_counter() - started) / args.requests * 1e6)
        results[page] = {name: statistics.median(values[1:]) for name, values in timings.items()}
    settings.ROOT_URLCONF = site_urls
    table = render(results, args)
    print(table)
    if not args.no_docs:
        write_docs(table)
    return 0


def render(results: dict[str, dict[str, float]], args) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"Measured {when} with `.venv/bin/python bench/observability.py` (under `flock /tmp/hc-bench.lock`), "
        f"{os.cpu_count()} cores (shared with other work), Python {platform.python_version()}: the WSGI "
        f"application called in one process, {args.rounds} rounds of {args.requests} requests per stack taking "
        "turns, median µs per request; pages answered from the page cache (in-process cache, SQLite, demo "
        "data); request log line and metrics on every answer (metrics in multiprocess mode, log lines written "
        "to a file). × is the constant view's time over the page's (= req/s ratio to the constant view).",
        "",
        "| page | constant view | hit in Django's handler | × | hit path | × |",
        "|---|---|---|---|---|---|",
    ]
    for page, row in results.items():
        constant, django, hit = row["constant"], row["Django's handler"], row["hit path"]
        lines.append(
            f"| {page} | {constant:.0f} µs | {django:.0f} µs | {constant / django:.2f} | {hit:.0f} µs "
            f"| {constant / hit:.2f} |"
        )
    return "\n".join(lines) + "\n"


def write_docs(table: str) -> None:
    text = DOCS.read_text()
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n### ", start + len(SECTION))
        text = text[:start] + table + (text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + table
    DOCS.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
