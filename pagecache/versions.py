"""The content version: one value that changes whenever anything a visitor sees changes.

Every cached page, and every derived value cached for pages (category counts, most-read
ids, search results), is stored under the version current when it was computed. A
change anywhere bumps the version, so the next request on any worker finds nothing
under the new version and renders from the database. Nothing is ever purged.

Where the version lives depends on the cache:

- a shared cache (Redis in production): in that cache, moved with an atomic INCR, so
  every worker of every server sees the new value on its next request. With
  pagecache.redis.RedisCache the bump also publishes the new value and each worker keeps
  it from its subscription (pagecache/version_channel.py): no round trip per request;
- the in-process default (LocMemCache, one per worker process): in a small file
  (`PAGE_CACHE_VERSION_FILE`), because a version kept in one worker's memory would leave
  the other workers serving old pages. The file is replaced atomically and read on each
  request (a few microseconds).

While a shared cache cannot be reached there is no version to trust: `current_version`
answers a new, never-repeated value on every call, so no page or derived value is served
from any cache (each request renders from the database) and the site stays up. A change
saved meanwhile cannot move the version; the process that saved it moves it as soon as
the cache answers again (`RedisCache.bump_owed`), and pages cached before the outage expire after
PAGE_CACHE_SECONDS in any case.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import Signal, receiver

from . import version_channel
from .redis import Unreachable

VERSION_KEY = "pagecache:content-version"
_counter = itertools.count()


_this_thread = threading.local()
_settings_generation = itertools.count()
_generation = next(_settings_generation)


def page_cache():
    """The page cache's object for this thread: Django's `caches[alias]`, kept per thread,
    since looking it up through Django's handler (a context-local) is most of what reading
    the version costs once it needs no round trip."""
    kept = getattr(_this_thread, "cache", None)
    if kept is None or kept[0] != _generation:
        kept = _this_thread.cache = (_generation, caches[settings.PAGE_CACHE_ALIAS])
    return kept[1]


@receiver(setting_changed)
def _forget_page_cache(*, setting: str, **kwargs) -> None:
    global _generation
    if setting in {"CACHES", "PAGE_CACHE_ALIAS"}:  # tests: Django makes new cache objects
        _generation = next(_settings_generation)


def _is_shared(cache) -> bool:
    return not isinstance(cache, (LocMemCache, DummyCache))


def version_file() -> Path:
    return _version_file(
        getattr(settings, "PAGE_CACHE_VERSION_FILE", ""),
        str(settings.BASE_DIR),
        str(settings.DATABASES["default"].get("NAME", "")),
    )


@lru_cache(maxsize=8)
def _version_file(configured: str, base_dir: str, database: str) -> Path:
    if configured:
        return Path(configured)
    # One file per database, so two sites on one machine never share a version.
    digest = hashlib.sha256(f"{base_dir}:{database}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"helpcenter-content-version-{digest}"


def _fresh_value() -> int:
    # Never reused: a version lost with the cache (eviction, restart, clear) comes back as a
    # larger number instead of restarting at 1 and matching pages stored long ago.
    return time.time_ns()


def _read_file() -> str:
    path = version_file()
    try:
        # Read on every request: plain os calls, not Path.read_text (measured 3x faster).
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        _write_file()
        return path.read_text()
    try:
        return os.read(descriptor, 256).decode()
    finally:
        os.close(descriptor)


def _write_file() -> None:
    path = version_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{next(_counter)}.tmp")
    temporary.write_text(f"{_fresh_value()}-{os.getpid()}-{next(_counter)}")
    os.replace(temporary, path)  # atomic: readers see the old or the new value, never half


def _pushes_version(cache) -> bool:
    return settings.PAGE_CACHE_VERSION_PUSH and hasattr(cache, "bump_and_publish")


def _pushed_version(cache) -> str | None:
    """The version from this process's subscription, or None when it is off or down."""
    if not _pushes_version(cache):
        return None
    watcher = cache.__dict__.get("pagecache_version_watcher")
    if watcher is None:  # once per cache object (Django makes one per thread)
        watcher = cache.pagecache_version_watcher = version_channel.watcher(
            cache.version_channel(VERSION_KEY),
            lambda: _read_shared(cache),
            lambda: cache.subscription_connection(VERSION_KEY),
        )
    return watcher.version()


def _read_shared(cache) -> str:
    # pagecache.redis.RedisCache has a cheaper read for it.
    version = getattr(cache, "get_small", cache.get)(VERSION_KEY)
    if version is None:
        if hasattr(cache, "bump_and_publish"):  # announced, so every subscribed worker moves to it too
            return str(cache.bump_and_publish(VERSION_KEY, _fresh_value()))
        cache.add(VERSION_KEY, _fresh_value(), timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def _unreachable_version() -> str:
    # Never equal to any stored page's version, nor to the next call's.
    return f"unreachable-{os.getpid()}-{next(_counter)}"


def _pay_owed_bump(cache) -> None:
    cache.bump_owed = False
    try:
        _bump_shared(cache)
    except Unreachable:
        cache.bump_owed = True
        raise


def current_version() -> str:
    cache = page_cache()
    if not _is_shared(cache):
        return _read_file()
    try:
        if getattr(cache, "bump_owed", False):
            _pay_owed_bump(cache)
        return _pushed_version(cache) or _read_shared(cache)
    except Unreachable:
        return _unreachable_version()


def read_with_version(key: str) -> tuple[str, object]:
    """The current version and the entry under `key`, in one round trip to a shared cache."""
    cache = page_cache()
    if not _is_shared(cache):
        return _read_file(), cache.get(key)
    if getattr(cache, "bump_owed", False):
        return current_version(), None
    pushed = _pushed_version(cache)
    if pushed is not None:
        return pushed, cache.get(key)
    try:
        # Never the in-process stand-in's answer while Redis is down (pagecache/redis.py).
        found = getattr(cache, "get_many_or_raise", cache.get_many)([VERSION_KEY, key])
    except Unreachable:
        return _unreachable_version(), None
    version = found.get(VERSION_KEY)
    if version is None:
        return current_version(), None
    return str(version), found.get(key)


def _bump() -> None:
    cache = page_cache()
    if not _is_shared(cache):
        _write_file()
        return
    try:
        _bump_shared(cache)
    except Unreachable:
        # The change itself is saved; only the cache is down. Owed, not lost (see the top).
        cache.bump_owed = True


def _bump_shared(cache) -> None:
    if hasattr(cache, "bump_and_publish"):  # published even with the push off here: others may read it
        cache.bump_and_publish(VERSION_KEY, _fresh_value())
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing (evicted or cleared): start again above every earlier value
        if not cache.add(VERSION_KEY, _fresh_value(), timeout=None):
            cache.incr(VERSION_KEY)


#: Sent once per change (once per transaction) after the new version is in place and the
#: change committed. Receivers compute what every page will need under the new version
#: (category counts), so the writer pays for them rather than the first visitor.
content_committed = Signal()


def _announce() -> None:
    content_committed.send(sender=None, version=current_version())


def content_changed(using: str = "default") -> None:
    """Call after changing anything a visitor sees; every cached page is fresh on its next request.

    Inside a transaction the version moves twice: now, so no request serves the old pages
    any more, and again after the commit (once per transaction, however many rows
    changed), so a page rendered meanwhile from the not-yet-committed (old) rows and
    stored under the intermediate version is never served either. Outside a transaction
    the change is already committed: once is enough.
    """
    _bump()
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _announce()
        return
    # Once per transaction: a rolled-back transaction (or savepoint) drops its callbacks,
    # so looking at the pending ones never misses a change.
    if any(getattr(entry[1], "pagecache_after_commit", False) for entry in connection.run_on_commit):
        return
    transaction.on_commit(_after_commit, using=using)


def _after_commit() -> None:
    _bump()
    _announce()


_after_commit.pagecache_after_commit = True
