"""Two app servers behind Debian's nginx, sharing PostgreSQL, Redis and an S3 object store.

What README "Running on more than one server" describes, started for real on this machine:
two gunicorn servers (`bench.wsgi`, the production application) on ports of their own,
deploy/nginx-multi-server.conf in front of them (only the upstream addresses and the listen
port changed), one PostgreSQL database made for the run, one Redis database (a key prefix
of its own) and moto's S3 server with a bucket of its own.

The database is always PostgreSQL: SQLite is a file on one machine, which is exactly what
several servers cannot share. On a SQLite run of the suite the database is created on the
PostgreSQL server of HC_TEST_PG_URL (`make test` passes its PG_URL).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.server import free_port, start_gunicorn, stop
from tests import nginx as nginx_server
from tests.objectstore import ObjectStore
from tests.pagecache.live import BASE_DIR, collect_static, manage

CONFIG = BASE_DIR / "deploy" / "nginx-multi-server.conf"
PORTS = range(8900, 9000)
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/helpcenter"
ADMIN_USER, ADMIN_PASSWORD = "ops-admin", "a-long-admin-password-for-the-cluster"
# Low enough to reach in a test, the rest as in production.
LOOKUP_LIMIT, LOCKOUT_AFTER = 3, 3


def postgres_server_url() -> str:
    """The PostgreSQL server (URL without the database name) the cluster's database goes on."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        suite_url = os.environ.get("HC_TEST_PG_URL", DEFAULT_PG_URL)
    return suite_url.rpartition("/")[0]


class ClusterDatabase:
    def __init__(self) -> None:
        self.server = postgres_server_url()
        self.name = f"hc_cluster_{uuid.uuid4().hex[:10]}"
        self.url = f"{self.server}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    def create(self) -> None:
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def value(self, sql: str, *params: object):
        """The first column of the first row `sql` selects (read straight from the database)."""
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as connection:
            return connection.execute(sql, params).fetchone()[0]


def cluster_env(
    database: ClusterDatabase, store: ObjectStore, bucket: str, redis_url: str, tmp: Path
) -> dict:
    """What every app server of the site shares (README "Running on more than one server")."""
    env = {
        **os.environ,
        **store.env(bucket),
        "DATABASE_URL": database.url,
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_PREFIX": f"hc-cluster-{uuid.uuid4().hex[:8]}",
        "DJANGO_SECRET_KEY": f"cluster-test-{uuid.uuid4().hex}",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DJANGO_RATE_CONTACT_LOOKUP": f"{LOOKUP_LIMIT}/h",
        # The load test sends every message through nginx, so from one client address.
        "DJANGO_RATE_CONTACT_SUBMIT": "10000/h",
        "DJANGO_AXES_FAILURE_LIMIT": str(LOCKOUT_AFTER),
    }
    env.pop("DJANGO_PAGE_CACHE_VERSION_FILE", None)
    return env


@dataclass
class AppServer:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        self.process = start_gunicorn(
            "bench.wsgi:application",
            port=self.port,
            workers=2,
            env=env,
            log=self.log,
            ready_path="/robots.txt",
        )

    def stop(self) -> None:
        """gunicorn's graceful stop (SIGTERM): the requests it accepted are answered first."""
        if self.process is not None:
            stop(self.process)
            self.process = None


def start_nginx(tmp: Path, upstreams: list[str]) -> tuple[subprocess.Popen, str]:
    """deploy/nginx-multi-server.conf in front of `upstreams` (host:port), on a free port."""
    port = free_port(PORTS)
    site = CONFIG.read_text()
    replacements = [
        ("server app1:8000", f"server {upstreams[0]}"),
        ("server app2:8000", f"server {upstreams[1]}"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
    ]
    for old, new in replacements:
        assert old in site, f"{CONFIG} no longer has {old!r}"
        site = site.replace(old, new)
    process = nginx_server.start(tmp, nginx_server.write_config(tmp, site, access_log=True), port)
    return process, f"http://127.0.0.1:{port}"


def _children(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def drain(nginx: subprocess.Popen, tmp: Path, server: str) -> None:
    """Take `server` out of the upstream (`down`) and reload nginx, as README's stop procedure
    says; returns once the old nginx workers have finished the requests they had sent to it."""
    site = (tmp / "site.conf").read_text()
    line = re.search(rf"server {re.escape(server)} [^;]*;", site)[0]
    (tmp / "site.conf").write_text(site.replace(line, line.removesuffix(";") + " down;"))
    old_workers = _children(nginx.pid)
    nginx.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while _children(nginx.pid) & old_workers or not _children(nginx.pid):
        assert time.monotonic() < deadline, "nginx's old workers did not finish within 60 s"
        time.sleep(0.05)


def undrain(nginx: subprocess.Popen, tmp: Path, server: str) -> None:
    site = (tmp / "site.conf").read_text()
    (tmp / "site.conf").write_text(re.sub(rf"(server {re.escape(server)} [^;]*) down;", r"\1;", site))
    nginx.send_signal(signal.SIGHUP)


@dataclass
class Cluster:
    env: dict[str, str]
    database: ClusterDatabase
    store: ObjectStore
    bucket: str
    servers: list[AppServer]
    front: str
    tmp: Path
    nginx: subprocess.Popen | None = field(default=None, repr=False)


def prepare_site(env: dict[str, str]) -> None:
    """Static files, schema, the demo help center and an admin account, as a release step would."""
    collect_static(env)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        f"User.objects.create_superuser({ADMIN_USER!r}, 'ops@helpcenter.example', {ADMIN_PASSWORD!r})",
    )


# --- Talking to the site as a browser does ------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browser(client_address: str) -> requests.Session:
    """A browser at `client_address`: it reaches the servers directly in these tests, as if through
    the proxy that appends the address (the last X-Forwarded-For entry is the client)."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = client_address
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return CSRF_INPUT.search(page.text).group(1)


def post_form(session: requests.Session, url: str, data: dict, files=None, form_url: str | None = None):
    token = csrf_token(session, form_url or url)
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )
