"""The database goes away under traffic: count the 503 pages, check nothing is half-written, time the recovery.

    .venv/bin/python bench/faults_db.py                  # defaults below, writes docs/benchmarks.md
    .venv/bin/python bench/faults_db.py --clients 8 --healthy 10 --outage 15 --after 20 --no-docs

The outage is real and only ever touches a PostgreSQL cluster of its own: the script
creates a dedicated cluster (`pg_createcluster 15 hctrust --port 5439`, trust
authentication on 127.0.0.1), never the shared one on 5432, and drops it at the end
(`--keep-cluster` to keep it). Then:

1. migrates a database on it and loads the demo content, and serves the site with
   gunicorn (4 sync workers, persistent connections with health checks as in
   production, Redis db 3 for the cache) on 127.0.0.1 in 8300-8399;
2. runs `--clients` threads that loop over the home page, a brand page, an article, the
   verify page, the verify API and a scam-report POST with a unique value each time;
3. after `--healthy` seconds kills every server connection of the site
   (`pg_terminate_backend`): the requests that were using one fail once, then the
   workers reconnect by themselves;
4. after another `--healthy` seconds stops the cluster (`pg_ctlcluster ... stop -m fast`)
   for `--outage` seconds, starts it again and keeps the traffic going `--after` seconds.

It reports, per phase, how many answers were 2xx/3xx, 503 and any other 5xx (there must
be none), how long after the database came back the first page and the last 503 were
served, and whether the stored reports are exactly those the server accepted (302): each
once, none of those it answered 503 for, so nothing was half-written.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from bench.django_env import BASE_DIR  # noqa: E402
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

PYTHON = sys.executable
CLUSTER_VERSION = "15"
CLUSTER_NAME = "hctrust"
CLUSTER_PORT = 5439
DATABASE = "hc_faults"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/3"
PORTS = range(8300, 8400)
DOC_BLOCK = "trust-faults-db"
REPORT_VALUE_PREFIX = "bench-fault-"


@dataclass
class Sample:
    at: float  # seconds since the traffic started
    kind: str  # "page" or "post"
    status: int  # 0 when no HTTP answer came back at all
    ms: float
    value: str = ""  # the report value of a POST


# --- The dedicated cluster ---------------------------------------------------------------------


def _sh(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=check)


def _cluster_exists() -> bool:
    listing = _sh("pg_lsclusters", "--no-header", check=False).stdout
    return any(
        line.split()[:2] == [CLUSTER_VERSION, CLUSTER_NAME] for line in listing.splitlines() if line.strip()
    )


def _psql(sql: str, database: str = "postgres") -> str:
    return _sh(
        "psql", "-h", "127.0.0.1", "-p", str(CLUSTER_PORT), "-U", "postgres", "-d", database, "-Atc", sql
    ).stdout.strip()  # fmt: skip


def create_cluster() -> None:
    if _cluster_exists():
        _sh("pg_ctlcluster", CLUSTER_VERSION, CLUSTER_NAME, "start", check=False)
    else:
        _sh(
            "pg_createcluster", CLUSTER_VERSION, CLUSTER_NAME, "--port", str(CLUSTER_PORT), "--start",
            "--", "--auth-host=trust", "--auth-local=trust",
        )  # fmt: skip
    for _ in range(30):
        if _sh("pg_isready", "-h", "127.0.0.1", "-p", str(CLUSTER_PORT), check=False).returncode == 0:
            break
        time.sleep(0.5)
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")


def drop_cluster() -> None:
    _sh("pg_dropcluster", CLUSTER_VERSION, CLUSTER_NAME, "--stop", check=False)


def stop_cluster() -> None:
    # Fast shutdown: open connections are terminated, new ones are refused.
    _sh("pg_ctlcluster", CLUSTER_VERSION, CLUSTER_NAME, "stop", "-m", "fast")


def start_cluster() -> None:
    _sh("pg_ctlcluster", CLUSTER_VERSION, CLUSTER_NAME, "start")


def terminate_site_connections() -> int:
    return int(
        _psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{DATABASE}' AND pid <> pg_backend_pid()"
        )
        or 0
    )


# --- The site ----------------------------------------------------------------------------------


def _site_env(static_root: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_PREFIX": f"hc-faults-{uuid.uuid4().hex[:8]}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "600",
        "DJANGO_RATELIMIT_ENABLE": "0",
        "DJANGO_LOG_LEVEL": "CRITICAL",
        "BENCH_STATIC_ROOT": str(static_root),
    }


def prepare_site(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        completed = subprocess.run(
            [PYTHON, "-c", _MANAGE, *command], env=env, cwd=BASE_DIR, capture_output=True, text=True
        )
        if completed.returncode != 0:
            raise SystemExit(completed.stdout + completed.stderr)


# manage.py through bench/django_env.py, so collectstatic writes into BENCH_STATIC_ROOT.
_MANAGE = (
    "import sys; from bench import django_env; django_env.setup(); "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


# --- Traffic -----------------------------------------------------------------------------------


PAGES = [
    "/",
    "/b/okpay/",
    "/verify/?value=https%3A%2F%2Fokpay.example.evil.com%2Flogin",
    "/api/v1/verify?value=%2B86+400+000+0101",
    "/warnings/",
    "/en/verify/?value=%40okpay_kefu",
]


class Client(threading.Thread):
    def __init__(
        self, port: int, started: float, stop: threading.Event, samples: list[Sample], lock: threading.Lock
    ):
        super().__init__(daemon=True)
        self.port, self.started, self.stop, self.samples, self.lock = port, started, stop, samples, lock
        self.cookie, self.token = "", ""

    def _request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), response.getheader("Set-Cookie", "")
        finally:
            connection.close()

    def login_form(self) -> None:
        """Fetch the report form once (before any outage) for its CSRF cookie and token."""
        status, body, cookie = self._request("GET", "/verify/report/")
        assert status == 200, status
        self.cookie = cookie.split(";", 1)[0]
        self.token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def _record(self, kind: str, status: int, began: float, value: str = "") -> None:
        sample = Sample(began - self.started, kind, status, (time.monotonic() - began) * 1000, value)
        with self.lock:
            self.samples.append(sample)

    def run(self) -> None:
        index = 0
        while not self.stop.is_set():
            index += 1
            began = time.monotonic()
            if index % 4 == 0:
                value = f"{REPORT_VALUE_PREFIX}{uuid.uuid4().hex}.com"
                body = urllib.parse.urlencode(
                    {"csrfmiddlewaretoken": self.token, "value": value, "seen_where": "website"}
                ).encode()
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": self.cookie,
                    "Referer": f"http://127.0.0.1:{self.port}/verify/report/",
                }
                try:
                    status, _, _ = self._request("POST", "/verify/report/", body, headers)
                except OSError:
                    status = 0
                self._record("post", status, began, value)
            else:
                try:
                    status, content, _ = self._request("GET", PAGES[index % len(PAGES)])
                    if (
                        status == 503
                        and "帮助中心暂时无法访问".encode() not in content
                        and b"briefly unavailable" not in content
                    ):
                        status = -503  # a 503 that is not our page
                except OSError:
                    status = 0
                self._record("page", status, began)


def run_traffic(port: int, args: argparse.Namespace) -> tuple[list[Sample], dict[str, float]]:
    samples: list[Sample] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()
    clients = [Client(port, started, stop, samples, lock) for _ in range(args.clients)]
    for client in clients:
        client.login_form()
    for client in clients:
        client.start()
    events: dict[str, float] = {}
    time.sleep(args.healthy)
    events["connections_killed"] = time.monotonic() - started
    events["killed_count"] = terminate_site_connections()
    time.sleep(args.healthy)
    events["db_stopped"] = time.monotonic() - started
    stop_cluster()
    events["db_stopped_done"] = time.monotonic() - started
    time.sleep(args.outage)
    events["db_starting"] = time.monotonic() - started
    start_cluster()
    events["db_back"] = time.monotonic() - started
    time.sleep(args.after)
    stop.set()
    for client in clients:
        client.join(timeout=40)
    events["end"] = time.monotonic() - started
    return samples, events


# --- Analysis ----------------------------------------------------------------------------------


def _phase(sample: Sample, events: dict[str, float]) -> str:
    if sample.at < events["connections_killed"]:
        return "healthy"
    if sample.at < events["db_stopped"]:
        return "connections killed"
    if sample.at < events["db_stopped_done"]:
        return "shutting down"
    if sample.at < events["db_starting"]:
        return "database down"
    if sample.at < events["db_back"]:
        return "starting up"
    return "database back"


def analyse(samples: list[Sample], events: dict[str, float]) -> dict:
    phases = [
        "healthy",
        "connections killed",
        "shutting down",
        "database down",
        "starting up",
        "database back",
    ]
    rows = []
    for phase in phases:
        in_phase = [sample for sample in samples if _phase(sample, events) == phase]
        counts = Counter(
            "ok" if 200 <= s.status < 400 else "503" if s.status == 503 else "other" for s in in_phase
        )
        latencies = sorted(s.ms for s in in_phase if s.status == 503)
        rows.append(
            {
                "phase": phase,
                "requests": len(in_phase),
                "ok": counts["ok"],
                "503": counts["503"],
                "other": counts["other"],
                "p50_503_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
            }
        )
    # Measured from the start command: PostgreSQL accepts connections before pg_ctlcluster returns.
    back = events["db_starting"]
    after = sorted((s for s in samples if s.at >= back), key=lambda s: s.at)
    first_ok = next((s.at + s.ms / 1000 - back for s in after if 200 <= s.status < 400), None)
    last_503 = max((s.at + s.ms / 1000 - back for s in after if s.status == 503), default=0.0)
    killed = [s for s in samples if _phase(s, events) == "connections killed"]
    return {
        "rows": rows,
        "first_ok_after_back_s": round(first_ok, 2) if first_ok is not None else None,
        "last_503_after_back_s": round(last_503, 2),
        "killed_503": sum(1 for s in killed if s.status == 503),
        "other_5xx": sum(1 for s in samples if s.status >= 500 and s.status != 503 or s.status == -503),
        "no_answer": sum(1 for s in samples if s.status == 0),
    }


def check_reports(samples: list[Sample]) -> dict:
    """Stored reports must be exactly the accepted POSTs (302), each once."""
    accepted = {s.value for s in samples if s.kind == "post" and s.status == 302}
    refused = {s.value for s in samples if s.kind == "post" and s.status == 503}
    rows = _psql(
        f"SELECT value FROM trust_scamreport WHERE value LIKE '{REPORT_VALUE_PREFIX}%'", DATABASE
    ).splitlines()
    stored = Counter(rows)
    return {
        "accepted": len(accepted),
        "refused_503": len(refused),
        "stored": len(stored),
        "duplicates": sum(1 for count in stored.values() if count > 1),
        "accepted_missing": len(accepted - set(stored)),
        "refused_but_stored": len(refused & set(stored)),
        "stored_without_302": len(set(stored) - accepted),
    }


def write_docs(args: argparse.Namespace, result: dict, reports: dict, events: dict, command: str) -> str:
    table = report.markdown_table(
        ["phase", "requests", "2xx/3xx", "503 page", "other 5xx or no answer", "p50 of a 503 (ms)"],
        [
            [r["phase"], r["requests"], r["ok"], r["503"], r["other"], r["p50_503_ms"] or "–"]
            for r in result["rows"]
        ],
    )
    body = f"""### Database outage under traffic

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {report.machine_summary()}, with

    {command}

gunicorn (4 sync workers, `CONN_MAX_AGE=600` with health checks) on a PostgreSQL 15 cluster of
its own (port {CLUSTER_PORT}), {args.clients} client threads on 127.0.0.1 mixing pages, the verify page and API,
and scam-report POSTs. At {events["connections_killed"]:.0f} s every server connection of the site was killed
({events["killed_count"]} backends, `pg_terminate_backend`); at {events["db_stopped"]:.0f} s the cluster was stopped
(`pg_ctlcluster stop -m fast`, {events["db_stopped_done"] - events["db_stopped"]:.1f} s) and started again {args.outage:.0f} s later
(`pg_ctlcluster start` returned after {events["db_back"] - events["db_starting"]:.1f} s). A request counts in the phase in which it started.

{table}

- Other 5xx answers or requests without an answer: **{result["other_5xx"] + result["no_answer"]}**
  (every failure was the site's own 503 page).
- Killed connections cost **{result["killed_503"]}** requests a 503; the workers reconnected by themselves.
- Recovery, counted from the `pg_ctlcluster start` command: first page served after
  **{result["first_ok_after_back_s"]} s**, last 503 answered at **{result["last_503_after_back_s"]} s**, every request
  after that succeeded ({events["db_back"] - events["db_starting"]:.1f} s is when the start command returned):
  the site recovered by itself, with no restart of gunicorn.
- Reports: {reports["accepted"]} accepted (302) and stored once each; {reports["refused_503"]} answered 503 and
  not stored; duplicates {reports["duplicates"]}, accepted but missing {reports["accepted_missing"]}, stored
  despite a 503 {reports["refused_but_stored"]}, stored without a 302 {reports["stored_without_302"]}:
  nothing half-written.
"""
    if not args.no_docs:
        report.replace_block(DOC_BLOCK, body)
    return body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--healthy", type=float, default=10, help="seconds before each fault")
    parser.add_argument("--outage", type=float, default=15, help="seconds the database stays down")
    parser.add_argument("--after", type=float, default=20, help="seconds of traffic after it is back")
    parser.add_argument("--keep-cluster", action="store_true")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    command = "python bench/faults_db.py " + " ".join(sys.argv[1:])

    work = Path(tempfile.mkdtemp(prefix="hc-faults-"))
    server = None
    try:
        print(
            f"creating PostgreSQL cluster {CLUSTER_VERSION}/{CLUSTER_NAME} on port {CLUSTER_PORT}", flush=True
        )
        create_cluster()
        env = _site_env(work / "static")
        prepare_site(env)
        port = free_port(PORTS)
        server = start_gunicorn(
            "bench.wsgi:application",
            port=port,
            workers=4,
            env=env,
            log=work / "gunicorn.log",
            extra_args=["--timeout", "30"],
        )
        print(f"gunicorn on 127.0.0.1:{port}; traffic from {args.clients} clients", flush=True)
        samples, events = run_traffic(port, args)
        result = analyse(samples, events)
        reports = check_reports(samples)
        print(write_docs(args, result, reports, events, command.strip()))
        ok = result["other_5xx"] == 0 and result["no_answer"] == 0
        ok = ok and not (
            reports["duplicates"] or reports["accepted_missing"] or reports["refused_but_stored"]
        )
        if not ok:
            raise SystemExit("FAILED: see the figures above")
    finally:
        if server is not None:
            stop(server)
        if not args.keep_cluster:
            drop_cluster()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
