"""The content version pushed by Redis to every worker, so reading it costs no round trip.

Every request reads the content version (pagecache/versions.py). Reading it with a GET
was most of a page-cache hit's cost with Redis: a round trip to another process, which on
a small machine means waiting for the Redis process to be scheduled. Instead:

- A bump (`RedisCache.bump_and_publish`) moves the version and PUBLISHes the new value on
  a channel named after the version's key (the cache's key prefix, and the database
  number, since Redis channels are not per database), in one MULTI/EXEC round trip.
- Each worker process keeps one connection SUBSCRIBEd to that channel. A request asks the
  kernel, without waiting (`poll` with timeout 0, about a microsecond), whether anything
  arrived on it; only if so does it read the messages and keep the newest value.
- On (re)subscribing it SUBSCRIBEs first and only then GETs the version, so no bump falls
  between the two.

Why it is never stale: a writer's bump returns only after Redis has written the message to
every subscriber's socket. Redis 7.0 queues replies and writes them all in `beforeSleep`,
before it reads anything new, walking the queue newest first (`listAddNodeHead` in
`networking.c`); inside MULTI/EXEC the writer's connection joins that queue when MULTI is
answered, before PUBLISH queues the subscribers, so their messages are written before the
writer's reply (a Lua script alone would queue the writer last, and answer it first). On
one machine a write to a loopback socket has reached the reader's queue by the time it
returns, so a request that starts after the writer's commit finds the message already in
its worker's socket. tests/pagecache/test_version_push.py hammers exactly this.

When the subscription cannot be trusted the worker falls back to a GET per request, as
before, and tries to subscribe again at most every RETRY_SECONDS:
- the connection is closed or fails (Redis restarted, the client killed, Redis's output
  buffer limit for subscribers reached): the socket reads end-of-file or an error;
- more than MAX_MESSAGES messages waited at once: the socket could have filled, leaving
  later messages in Redis's own buffer where `poll` cannot see them; the worker subscribes
  again at once (a fresh connection, then a GET);
- subscribing fails (Redis down, an ACL without pub/sub): each request GETs, and fails
  exactly as it did before when Redis is down.

And a worker GETs the version anyway once every CHECK_SECONDS (one request a second pays a
round trip): a safety net for anything outside the design above (a server still running a
release that bumps without publishing during a rolling deploy, a message lost between
machines), which then cannot last longer than that.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
CHECK_SECONDS = 1.0
# Far below what fills a socket (a message is about 100 bytes, a loopback socket takes
# tens of kilobytes): a burst this long means "resubscribe", never "trust what is left".
MAX_MESSAGES = 32


class VersionWatcher:
    """The content version as pushed on one channel, for the worker process that reads it.

    `read_version` is the authoritative read (a GET that sets a first value when there is
    none); `connect` opens a new connection to the Redis server the version lives on.
    """

    def __init__(self, channel: str, read_version, connect) -> None:
        self.channel = channel
        self._read_version = read_version
        self._connect = connect
        self._lock = threading.Lock()  # gunicorn's threaded workers share one per process
        self._connection = None
        self._poller = None
        self._value = 0
        self._text = ""
        self._retry_at = 0.0
        self._check_at = 0.0
        self._warned = False

    def version(self) -> str | None:
        """The current version, or None when the subscription is down (the caller GETs)."""
        with self._lock:
            if self._connection is None and not self._subscribe():
                return None
            if self._poller.poll(0) and not self._drain():
                return None
            now = time.monotonic()
            if now >= self._check_at and not self._check(now):
                return None
            return self._text

    def close(self) -> None:
        with self._lock:
            self._drop()

    def forked(self) -> None:
        """In a child process: the connection is the parent's; open one of its own when asked."""
        self._lock = threading.Lock()
        self._drop()
        self._retry_at = 0.0

    def _set(self, value: int) -> None:
        self._value = value
        self._text = str(value)

    def _subscribe(self) -> bool:
        now = time.monotonic()
        if now < self._retry_at:
            return False
        self._retry_at = now + RETRY_SECONDS
        connection = None
        try:
            connection = self._connect()
            connection.send_command("SUBSCRIBE", self.channel)
            reply = connection.read_response()
            if reply[0] != b"subscribe":
                raise OSError(f"unexpected reply to SUBSCRIBE: {reply!r}")
            # Only now: every bump after this GET is also on the subscription.
            value = int(self._read_version())
        except Exception as error:  # noqa: BLE001 - anything: fall back to a GET per request
            # From the end of the attempt: one that waited for a timeout is not retried at once.
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if connection is not None:
                connection.disconnect()
            if not self._warned:
                logger.warning("content version: not subscribed (%s); reading it per request", error)
                self._warned = True
            return False
        self._connection = connection
        self._poller = select.poll()
        self._poller.register(connection._sock.fileno(), select.POLLIN)
        self._set(value)
        self._check_at = now + CHECK_SECONDS
        self._warned = False
        return True

    def _drain(self) -> bool:
        """Read every message waiting; False when the subscription is no longer to be trusted."""
        connection = self._connection
        newest = self._value
        try:
            for _ in range(MAX_MESSAGES):
                reply = connection.read_response()
                if reply[0] == b"message":
                    newest = max(newest, int(reply[2]))
                if not connection.can_read(timeout=0):
                    self._set(newest)
                    return True
        except Exception as error:  # noqa: BLE001 - end of file, reset, timeout, a garbled reply
            logger.warning("content version: subscription lost (%r); reading it per request", error)
            self._broken()
            return False
        # A burst this long may have filled the socket: subscribe afresh (then GET) at once.
        self._drop()
        self._retry_at = 0.0
        return self._subscribe()

    def _check(self, now: float) -> bool:
        self._check_at = now + CHECK_SECONDS
        try:
            value = int(self._read_version())
        except Exception:  # noqa: BLE001 - the caller's own GET fails or recovers
            self._broken()
            return False
        if value > self._value:
            self._set(value)
        return True

    def _broken(self) -> None:
        self._drop()
        self._retry_at = time.monotonic() + RETRY_SECONDS

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already broken: nothing more to close
                self._connection.disconnect()
        self._connection = None
        self._poller = None


_watchers: dict[str, VersionWatcher] = {}
_watchers_lock = threading.Lock()


def watcher(channel: str, read_version, connect) -> VersionWatcher:
    """The process's one watcher of `channel` (cache objects are per thread and per settings)."""
    found = _watchers.get(channel)
    if found is None:
        with _watchers_lock:
            found = _watchers.setdefault(channel, VersionWatcher(channel, read_version, connect))
    return found


def _after_fork_in_child() -> None:
    # A worker forked from a process that had subscribed (gunicorn --preload) must not read
    # its parent's socket. Run at fork, so requests need no getpid() check.
    for found in _watchers.values():
        found.forked()


os.register_at_fork(after_in_child=_after_fork_in_child)
