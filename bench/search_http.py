"""Instant search end to end under load, and the memory of a worker with jieba loaded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_search_bench .venv/bin/python bench/search_http.py
    DATABASE_URL=sqlite:////tmp/hc_search_bench.sqlite3 .venv/bin/python bench/search_http.py

Run bench/search_corpus.py first. The script
1. measures in a fresh process the resident memory before and after loading jieba
   (faq.search.warm_up), i.e. what the segmenter costs each worker;
2. starts gunicorn (helpcenter.wsgi, which loads jieba before the first request) on
   127.0.0.1, port 8200-8299, with --workers sync workers, and reads each worker's RSS;
3. runs wrk against /search/instant/?q=... (the htmx fragment under the search boxes),
   cycling through the 200+ benchmark queries (bench/search_latency.py), after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import django_env  # noqa: E402
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

PYTHON = sys.executable
PORTS = range(8200, 8300)
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_paths.lua"

MEMORY_PROBE = """
import os, sys
sys.path.insert(0, {base!r})
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
from bench import django_env
django_env.setup()
import helpcenter.urls  # the whole project imported, as in a worker
before = rss()
from faq.search import warm_up, tokenize
warm_up(); tokenize("忘记密码")
print(round(before, 1), round(rss(), 1))
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--preload", action="store_true", help="gunicorn --preload: load jieba in the master."
    )
    args = parser.parse_args()

    probe = subprocess.run(
        [PYTHON, "-c", MEMORY_PROBE.format(base=str(BASE_DIR))], capture_output=True, text=True, check=True
    )
    before, after = map(float, probe.stdout.split()[-2:])

    django_env.setup()
    from django.db import connection

    from bench.search_latency import build_queries

    paths = [
        "/search/instant/?" + urllib.parse.urlencode({"q": text})
        for text, language in build_queries()
        if language == "zh-hans"
    ]
    work = Path("/tmp/search_bench")
    work.mkdir(exist_ok=True)
    paths_file = work / "instant_paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    port = free_port(PORTS)
    log = work / "gunicorn.log"
    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING"}
    server = start_gunicorn(
        "helpcenter.wsgi:application",
        port=port,
        workers=args.workers,
        env=env,
        log=log,
        ready_path=paths[0],
        timeout=90,
        extra_args=["--preload"] if args.preload else [],
    )
    try:
        wrk = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
        wrk_env = {**os.environ, "WRK_PATHS": str(paths_file)}
        url = f"http://127.0.0.1:{port}/"
        subprocess.run([*wrk, f"-d{args.warmup}s", url], env=wrk_env, capture_output=True, check=True)
        completed = subprocess.run(
            [*wrk, f"-d{args.duration}s", url], env=wrk_env, capture_output=True, text=True, check=True
        )
        figures = json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        workers_rss = [round(rss_mb(int(pid)), 1) for pid in children]
        master_rss = round(rss_mb(server.pid), 1)
    finally:
        stop(server)
    seconds = figures["duration_us"] / 1_000_000
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "paths": len(paths),
                "workers": args.workers,
                "preload": args.preload,
                "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
                "requests": figures["requests"],
                "rps": round(figures["requests"] / seconds, 1),
                "p50_ms": round(figures["p50_us"] / 1000, 1),
                "p99_ms": round(figures["p99_us"] / 1000, 1),
                "errors": figures["status_errors"] + figures["socket_errors"],
                "worker_rss_mb": workers_rss,
                "master_rss_mb": master_rss,
                "probe_rss_mb_before_jieba": before,
                "probe_rss_mb_after_jieba": after,
            }
        )
    )


if __name__ == "__main__":
    main()
