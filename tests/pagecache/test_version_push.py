"""The content version pushed by Redis (pagecache/version_channel.py), against the real Redis.

A writer in another process bumps the version; this process must see each new value on
its very next read, from its subscription (not from a GET: the once-a-second check is put
off for these tests), hundreds of times in a row. Killing the subscription or a burst of
bumps falls back to exact reads; two sites on one Redis never see each other's bumps.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from pagecache import version_channel
from pagecache.versions import VERSION_KEY, _bump, _pushed_version, current_version

from .live import BASE_DIR, REDIS_URL

pytestmark = pytest.mark.xdist_group("redis")

# Bumps the version of the site named by argv[1] (its key prefix) each time it reads a line,
# and writes back the value it set: an editor's save on another server, minus the save.
WRITER = """
import sys
from django.conf import settings
settings.configure(
    CACHES={"default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": sys.argv[2], "KEY_PREFIX": sys.argv[1]}},
    PAGE_CACHE_ALIAS="default", PAGE_CACHE_VERSION_PUSH=True, DATABASES={}, BASE_DIR=".",
)
from pagecache.versions import VERSION_KEY, page_cache
cache = page_cache()
for line in sys.stdin:
    for _ in range(int(line)):
        version = cache.bump_and_publish(VERSION_KEY, 1)
    print(version, flush=True)
"""


def redis_caches(*prefixes: str) -> dict:
    return {
        name: {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
        for name, prefix in zip(["default", "other"], prefixes, strict=False)
    }


@pytest.fixture
def site(monkeypatch):
    """This process as one worker of a Redis site of its own, and a writer process for it."""
    monkeypatch.setattr(version_channel, "CHECK_SECONDS", 3600.0)
    prefix = f"hc-push-{uuid.uuid4().hex[:8]}"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, prefix, REDIS_URL],
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    with override_settings(CACHES=redis_caches(prefix, f"{prefix}-other")):
        cache = caches["default"]

        def bump(times: int = 1) -> str:
            writer.stdin.write(f"{times}\n")
            writer.stdin.flush()
            return writer.stdout.readline().strip()

        yield {"cache": cache, "bump": bump, "prefix": prefix}
        watcher = cache.__dict__.get("pagecache_version_watcher")
        if watcher is not None:
            watcher.close()
    writer.stdin.close()
    writer.wait(timeout=10)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def subscribers(cache) -> int:
    client = redis.Redis.from_url(REDIS_URL)
    return dict(client.pubsub_numsub(cache.version_channel(VERSION_KEY)))[
        cache.version_channel(VERSION_KEY).encode()
    ]


def test_a_bump_in_another_process_is_seen_on_the_next_read_every_time(site):
    first = current_version()
    assert subscribers(site["cache"]) == 1
    seen = []
    for _ in range(300):
        written = site["bump"]()
        seen.append((written, _pushed_version(site["cache"])))
    assert all(written == read for written, read in seen), [pair for pair in seen if pair[0] != pair[1]][:5]
    assert int(seen[-1][0]) == int(first) + 300


def test_a_burst_of_bumps_between_two_reads_ends_on_the_last_one(site):
    current_version()
    for times in (5, version_channel.MAX_MESSAGES + 1, 200):
        written = site["bump"](times)
        assert current_version() == written
    assert subscribers(site["cache"]) == 1  # the long bursts subscribed afresh, once each


def test_a_killed_subscription_reads_the_version_until_it_subscribes_again(site):
    current_version()
    client = redis.Redis.from_url(REDIS_URL)
    channel = site["cache"].version_channel(VERSION_KEY)
    for line in client.client_list(_type="pubsub"):
        if line["name"] == channel:  # this site's only: other tests and suites share the server
            client.client_kill_filter(_id=line["id"])
    assert subscribers(site["cache"]) == 0
    written = site["bump"]()
    assert current_version() == written  # end of file seen: read with a GET
    assert _pushed_version(site["cache"]) is None  # not subscribed again before RETRY_SECONDS
    watcher = site["cache"].pagecache_version_watcher
    watcher._retry_at = 0.0  # the second has passed
    assert current_version() == written
    assert dict(client.pubsub_numsub(channel))[channel.encode()] == 1
    written = site["bump"]()
    assert _pushed_version(site["cache"]) == written


def test_two_sites_on_one_redis_do_not_see_each_others_bumps(site):
    mine, other = caches["default"], caches["other"]
    assert mine.version_channel(VERSION_KEY) != other.version_channel(VERSION_KEY)
    with override_settings(PAGE_CACHE_ALIAS="other"):
        before_other = current_version()
    before_mine = current_version()
    written = site["bump"](3)
    assert current_version() == written != before_mine
    with override_settings(PAGE_CACHE_ALIAS="other"):
        assert current_version() == before_other
        _bump()
        assert current_version() != before_other
    assert current_version() == written
    other.pagecache_version_watcher.close()


def test_without_the_push_every_read_is_a_get_and_still_exact(site):
    with override_settings(PAGE_CACHE_VERSION_PUSH=False):
        assert _pushed_version(site["cache"]) is None
        written = site["bump"]()
        assert current_version() == written
    written = site["bump"]()
    assert _pushed_version(site["cache"]) == written
