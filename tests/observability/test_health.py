"""/healthz and /readyz: what a load balancer sees, with each dependency really down.

A dependency is down for real here: a Redis URL or a PostgreSQL URL on a port nothing listens
on, a media "directory" that is a file, a database that was never migrated (no task table).
The database cases run in a separate process, since the suite's own connection cannot be
pointed elsewhere mid-run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.helpers import closed_port
from tests.pagecache.live import REDIS_URL as LIVE_REDIS_URL

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[1]
CHECKS = {"database", "cache", "storage", "tasks"}


def readyz(client, **headers) -> tuple[int, dict]:
    response = client.get("/readyz", **headers)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def failing(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_readyz_is_ready_with_timings_when_everything_answers(client):
    status, body = readyz(client)
    assert (status, body["status"]) == (200, "ready")
    assert set(body["checks"]) == CHECKS
    assert all(isinstance(check["ms"], float) for check in body["checks"].values())
    assert body["checks"]["tasks"]["waiting"] == 0


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_probes_by_ip_address_are_answered_outside_the_host_check(client):
    """A load balancer probes the server's own address, which is not in ALLOWED_HOSTS."""
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
    assert readyz(client, HTTP_HOST="10.0.0.7")[0] == 200


def test_probes_are_not_under_the_language_prefix(client):
    assert client.get("/en/healthz").status_code == 404


@pytest.mark.xdist_group("redis")
def test_readyz_reaches_redis(client):
    # The Redis `make test` starts (scripts/ensure-redis.sh), in the live tests' database.
    redis_cache = {"default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": LIVE_REDIS_URL}}
    with override_settings(CACHES=redis_cache):
        status, body = readyz(client)
    assert (status, failing(body)) == (200, set())


def test_readyz_is_not_ready_while_redis_is_down(client):
    down = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/14",
        }
    }
    with override_settings(CACHES=down):
        status, body = readyz(client)
    assert (status, body["status"]) == (503, "not ready")
    assert failing(body) == {"cache"}
    assert body["checks"]["cache"]["error"] == "ConnectionError"


def test_readyz_is_not_ready_while_the_object_store_is_unreadable(client, tmp_path):
    """Answered afresh each time: the probe is never kept by the page cache."""
    assert readyz(client)[0] == 200
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("a file where the media directory should be")
    with override_settings(MEDIA_ROOT=not_a_directory):
        status, body = readyz(client)
    assert (status, failing(body)) == (503, {"storage"})


def test_a_fresh_site_without_a_media_directory_yet_is_ready(client, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "not-created-yet"):
        assert readyz(client)[0] == 200


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
healthz, readyz = client.get("/healthz"), client.get("/readyz")
print(json.dumps({"healthz": healthz.status_code, "readyz": readyz.status_code, "body": json.loads(readyz.content)}))
"""


def probe_process(tmp_path: Path, **env: str) -> dict:
    """/healthz and /readyz in a fresh process configured by `env`, as a server would start."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "helpcenter.settings", **env}
    environment.setdefault("DJANGO_MEDIA_ROOT", str(tmp_path))
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL"):
        if name not in env:
            environment.pop(name, None)
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.e2e
def test_readyz_is_not_ready_while_postgresql_is_down_and_healthz_still_answers(tmp_path):
    answer = probe_process(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/helpcenter")
    assert (answer["healthz"], answer["readyz"]) == (200, 503)
    # The task queue lives in the same database, so it is unreachable too.
    assert failing(answer["body"]) == {"database", "tasks"}
    assert answer["body"]["checks"]["database"]["error"] == "OperationalError"


@pytest.mark.e2e
def test_readyz_is_not_ready_without_the_task_queue_table(tmp_path):
    """A database that answers but was never migrated: the worker would have nothing to read."""
    answer = probe_process(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}")
    assert answer["readyz"] == 503
    assert failing(answer["body"]) == {"tasks"}
