"""What reading the content version costs in-process, per call (µs, best of 5 rounds).

    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/content_version.py
    REDIS_URL=redis://127.0.0.1:6379/8 DJANGO_PAGE_CACHE_VERSION_PUSH=0 .venv/bin/python bench/content_version.py
    .venv/bin/python bench/content_version.py      # the in-process cache: the version file

With Redis and the push on it also times the subscription's own check and its poll(0).
"""

from __future__ import annotations

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
os.environ.setdefault("DJANGO_CACHE_PREFIX", "bench-content-version")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from pagecache.versions import current_version, page_cache  # noqa: E402

CALLS = 20_000


def best(function) -> float:
    return min(timeit.repeat(function, number=CALLS, repeat=5)) / CALLS * 1e6


def main() -> None:
    current_version()
    cache = page_cache()
    kind = "Redis" if os.environ.get("REDIS_URL") else "in-process cache (version file)"
    push = os.environ.get("DJANGO_PAGE_CACHE_VERSION_PUSH", "1")
    print(f"{kind}, push {push}: current_version() {best(current_version):.2f} µs")
    watcher = cache.__dict__.get("pagecache_version_watcher")
    if watcher is not None and watcher.version() is not None:
        print(f"  of which the subscription's check {best(watcher.version):.2f} µs", end="")
        print(f", its poll(0) {best(lambda: watcher._poller.poll(0)):.2f} µs")
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
