"""A real site for the cross-process tests: its own database, gunicorn workers, a writer process.

The pytest process's test database lives inside a transaction (or in memory on SQLite),
which other processes cannot see, so these tests build a small site of their own: a fresh
database of the same kind as the suite's (a SQLite file, or a PostgreSQL database next to
the suite's), migrated and filled with the demo data by `manage.py`, served by gunicorn
with several workers, and changed by a separate `manage.py shell` process, as an editor's
admin request on another server would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.server import free_port, start_gunicorn, stop

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
REDIS_URL = os.environ.get("HC_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PORTS = range(8600, 8700)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


def get(url: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.read().decode(), dict(response.headers.items()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(), dict(error.headers.items()))


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def change_content(env: dict[str, str], code: str) -> None:
    """Run ORM code in a separate process (an editor's request on another server)."""
    manage(env, "shell", "-c", code)


class LiveDatabase:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        suite_url = os.environ.get("DATABASE_URL", "")
        self.postgres = suite_url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            server, _, name = suite_url.rpartition("/")
            self.server, self.name = server, f"{name}_live_{uuid.uuid4().hex[:8]}"
            self.url = f"{server}/{self.name}"
        else:
            self.url = f"sqlite:///{tmp / 'live.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def create(self, env: dict[str, str]) -> None:
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.name}"')
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo")

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def site_env(database: LiveDatabase, static_root: Path, *, redis: bool, version_file: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "BENCH_STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_PAGE_CACHE_VERSION_FILE": str(version_file),
        # Every address is "127.0.0.1" here; the tests read pages, they do not post in bulk.
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = REDIS_URL
        env["DJANGO_CACHE_PREFIX"] = f"hc-live-{uuid.uuid4().hex[:8]}"
    return env


def collect_static(env: dict[str, str]) -> None:
    code = "from bench import django_env; django_env.setup(); from django.core.management import call_command; call_command('collectstatic', interactive=False, verbosity=0)"
    subprocess.run([PYTHON, "-c", code], env=env, cwd=BASE_DIR, check=True, timeout=300)


def start_site(
    env: dict[str, str], log: Path, *, workers: int = 3, preload: bool = False
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the site; `preload` as deploy/Procfile runs it (the app loaded once, then forked)."""
    port = free_port(PORTS)
    extra_args = ["--preload"] if preload else []
    server = start_gunicorn(
        "bench.wsgi:application", port=port, workers=workers, env=env, log=log, extra_args=extra_args
    )
    base = f"http://127.0.0.1:{port}"
    # Every worker has loaded the segmenter and answered once before a test starts.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and get(f"{base}/robots.txt").status != 200:
        time.sleep(0.2)
    return server, base


__all__ = [
    "Answer",
    "LiveDatabase",
    "change_content",
    "collect_static",
    "get",
    "site_env",
    "start_site",
    "stop",
]
