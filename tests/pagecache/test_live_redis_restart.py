"""Redis stopped and started again under a running site: never an old page, before, during or after.

The shared Redis serves other suites, so this starts a Redis server of its own (Debian's
redis-server, no persistence: a restart loses the content version, as it would in
production without a disk) and points a gunicorn with 3 workers at it.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis

from bench.server import free_port

from .live import change_content, get, site_env, start_site, stop

pytestmark = [
    pytest.mark.xdist_group("live-site"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs Debian's redis-server"),
]
ARTICLE = "/a/account-locked-frozen/"


def start_redis(port: int, directory: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def private_site(live_database, tmp_path):
    database, static_root, tmp = live_database
    port = free_port(range(8700, 8800))
    state = {"redis": start_redis(port, tmp_path)}
    env = site_env(database, static_root, redis=True, version_file=tmp / "version-restart")
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    server, base = start_site(env, tmp / "gunicorn-restart.log")
    yield {"base": base, "env": env, "port": port, "state": state, "tmp": tmp_path}
    stop(server)
    state["redis"].kill()
    state["redis"].wait()


def retitle(env: dict[str, str], title: str) -> None:
    change_content(
        env,
        "from faq.models import Article\n"
        "a = Article.objects.get(slug='account-locked-frozen', language='zh-hans')\n"
        f"a.title = {title!r}\n"
        "a.save()",
    )


def test_after_redis_restarts_every_worker_shows_each_change_at_once(private_site):
    base, env = private_site["base"], private_site["env"]
    answers = [get(f"{base}{ARTICLE}") for _ in range(12)]  # every worker keeps its copy
    assert {answer.status for answer in answers} == {200}

    redis.Redis(port=private_site["port"]).shutdown(nosave=True)
    private_site["state"]["redis"].wait(timeout=10)
    # Down: every worker renders from the database (pagecache/redis.py), so the site stays
    # up and a change committed meanwhile shows at once, never a worker's older copy.
    assert {get(f"{base}{ARTICLE}").status for _ in range(6)} == {200}
    retitle(env, "账户被冻结了怎么办（Redis 停止时）")
    assert all("（Redis 停止时）" in get(f"{base}{ARTICLE}").body for _ in range(9))

    private_site["state"]["redis"] = start_redis(private_site["port"], private_site["tmp"])
    title = "账户被冻结了怎么办（Redis 重启后）"
    retitle(env, title)
    assert all(title in get(f"{base}{ARTICLE}").body for _ in range(12))

    time.sleep(1.2)  # each worker subscribes again on a request after RETRY_SECONDS
    [get(f"{base}{ARTICLE}") for _ in range(12)]
    channels = redis.Redis(port=private_site["port"]).pubsub_channels()
    assert len(channels) == 1
    for round in range(5):
        retitle(env, f"{title} {round}")
        assert all(f"{title} {round}" in get(f"{base}{ARTICLE}").body for _ in range(9))
