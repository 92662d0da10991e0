"""Contact form submissions under concurrent load, with an exact count of what was stored.

    .venv/bin/python bench/contact_submissions.py            # 2,000 posts, 8 clients
    .venv/bin/python bench/contact_submissions.py --total 4000 --clients 16 --workers 4

1. (Re)creates its own PostgreSQL database (hc_contact_bench on 127.0.0.1:5432 unless
   --database-url says otherwise), migrates it and adds one brand;
2. starts gunicorn (helpcenter.wsgi, sync workers) on 127.0.0.1, a free port in
   8100-8199, with the production settings (DEBUG off) and the contact rate limits
   switched off (DJANGO_RATELIMIT_ENABLE=0), since every post comes from one IP;
3. posts --total submissions from --clients threads, each a fresh visitor with a CSRF
   cookie (double-submit token), a unique email and a unique subject, and records the
   status and latency of every post; an accepted post is a 302 to the "sent" page;
4. counts the rows: every accepted subject must be stored exactly once, every reference
   must be unique, and no response may be a 5xx. Exits 1 otherwise.
Each stored message also enqueues its confirmation email in the django_tasks_db table
(no worker runs during the benchmark, so SMTP is not part of the figure).
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.server import free_port, start_gunicorn, stop  # noqa: E402

PORTS = range(8100, 8200)
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/hc_contact_bench"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict) -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=BASE_DIR)
    script = (
        "from brands.models import Brand\n"
        "Brand.objects.get_or_create(slug='kdpay', defaults={'name': 'KDPAY'})\n"
    )
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, cwd=BASE_DIR)


def post_one(opener, url: str, client: int, n: int, run: str) -> tuple[int, float, str]:
    token = secrets.token_hex(16)  # 32 characters: a valid CSRF secret for cookie and form alike
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "brand": "kdpay",
            "topic": "other",
            "name": f"压测用户 {client}",
            "email": f"bench+{run}-{client}-{n}@mail.example",
            "subject": f"bench-{run}-{client}-{n}",
            "message": "提现一直显示处理中，已经两天了。订单时间是昨天晚上 9 点。",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Cookie": f"csrftoken={token}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    return status, time.perf_counter() - started, location


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--database-url", default=os.environ.get("CONTACT_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()

    recreate_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_RATELIMIT_ENABLE": "0",
        "DJANGO_DEBUG": "0",
        "REDIS_URL": os.environ.get("CONTACT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
    }
    prepare(env)
    port = free_port(PORTS)
    server = start_gunicorn(
        "helpcenter.wsgi:application",
        port=port,
        workers=args.workers,
        env=env,
        log=Path(tempfile.gettempdir()) / "hc_contact_bench_gunicorn.log",
        ready_path="/robots.txt",
    )
    url = f"http://127.0.0.1:{port}/contact/message/"
    results: list[tuple[int, float, str, str]] = []
    lock = threading.Lock()
    run = secrets.token_hex(3)
    try:
        per_client = [
            args.total // args.clients + (1 if i < args.total % args.clients else 0)
            for i in range(args.clients)
        ]

        def client(index: int) -> None:
            opener = urllib.request.build_opener(NoRedirect)
            for n in range(per_client[index]):
                status, seconds, location = post_one(opener, url, index, n, run)
                with lock:
                    results.append((status, seconds, location, f"bench-{run}-{index}-{n}"))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        stop(server)

    accepted = {
        subject for status, _s, location, subject in results if status == 302 and "/message/sent/" in location
    }
    statuses: dict[int, int] = {}
    for status, *_rest in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = [seconds * 1000 for _status, seconds, *_rest in results]

    import psycopg

    with psycopg.connect(args.database_url) as conn:
        rows, distinct_refs, distinct_subjects = conn.execute(
            "SELECT count(*), count(DISTINCT reference), count(DISTINCT subject) FROM contact_contactmessage"
        ).fetchone()
        stored = {subject for (subject,) in conn.execute("SELECT subject FROM contact_contactmessage")}
        tasks = conn.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult").fetchone()[0]

    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    ok = (
        server_errors == 0
        and rows == len(accepted) == distinct_refs == distinct_subjects
        and stored == accepted
        and tasks == rows
    )
    summary = {
        "posts": len(results),
        "accepted": len(accepted),
        "statuses": dict(sorted(statuses.items())),
        "seconds": round(elapsed, 1),
        "rate": round(len(results) / elapsed, 1),
        "p50": round(statistics.median(latencies), 1),
        "p99": round(percentile(latencies, 0.99), 1),
        "max": round(max(latencies), 1),
        "rows": rows,
        "distinct_references": distinct_refs,
        "tasks": tasks,
    }
    print(summary)
    print("OK: every accepted submission stored exactly once" if ok else "FAILED: see the counts above")
    if ok and not args.no_docs:
        write_docs(args, summary)
    return 0 if ok else 1


def write_docs(args, s: dict) -> None:
    from bench.report import machine_summary, markdown_table, replace_block

    command = ".venv/bin/python bench/contact_submissions.py"
    if (args.total, args.clients, args.workers) != (2000, 8, 4):
        command += f" --total {args.total} --clients {args.clients} --workers {args.workers}"
    table = markdown_table(
        [
            "posts",
            "clients",
            "gunicorn workers",
            "submissions/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "5xx",
            "rows stored",
            "unique references",
        ],
        [
            [
                s["posts"],
                args.clients,
                args.workers,
                s["rate"],
                s["p50"],
                s["p99"],
                s["max"],
                0,
                s["rows"],
                s["distinct_references"],
            ]
        ],
    )
    body = (
        f"Measured {datetime.datetime.now(datetime.UTC).date().isoformat()} on {machine_summary()}, PostgreSQL and gunicorn on 127.0.0.1, "
        "production settings, rate limits off (`DJANGO_RATELIMIT_ENABLE=0`), Redis cache on DB 1.\n\n"
        f"```\n{command}\n```\n\n{table}\n\n"
        f'Every accepted post (a 302 to the "sent" page) is in the database exactly once, with a unique reference, '
        f"and each one queued its confirmation email ({s['tasks']} task rows). Statuses: {s['statuses']}."
    )
    replace_block("contact-submissions", body)


if __name__ == "__main__":
    sys.exit(main())
