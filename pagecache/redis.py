"""Django's Redis cache backend, reusing one redis-py client per connection pool, and a
cheap read of the one key every request reads (the content version).

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call, and
redis-py's constructor fills a table of about 170 response callbacks each time: measured
at about 180 µs per page-cache hit on this machine, more than the lookup itself. A client
is thread-safe and only wraps the pool, so one per pool is kept and reused.

Even with the client reused, one GET through redis-py's pool costs several system calls
besides the round trip (the pool checks with a zero-timeout read that each connection it
hands out has nothing unread) and its bookkeeping. The content version is read on every
request, so `get_small` reads it on a connection of the thread's own: one send, one read
(now only as the fallback and the once-a-second check: pagecache/version_channel.py has
Redis push the version to each worker instead).

While Redis cannot be reached the cache degrades instead of failing the request: every
call is answered by a cache in this process's memory (rate-limit counters keep counting,
per worker; cached search results and counts are computed again), the content version
reads raise `Unreachable` so the page cache renders every page (pagecache/versions.py),
and after one failure Redis is not tried again for `RETRY_SECONDS`, so an outage costs
one refused connection a second per worker, not one per request. /readyz still reports
it (`check`).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

#: After a failed call, how long every call goes straight to the in-process stand-in.
RETRY_SECONDS = 1.0

# Starts a missing version above every earlier one (ARGV[1], from the clock), moves it and
# announces the new value, atomically. The value is read back with GET, as a string: INCR's
# reply becomes a Lua number, a double, which rounds clock-sized integers (above 2**53). Run inside MULTI/EXEC: see pagecache/version_channel.py
# for why the order of the replies matters.
_BUMP_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('INCR', KEYS[1])
local version = redis.call('GET', KEYS[1])
redis.call('PUBLISH', ARGV[2], version)
return version
"""


class Unreachable(Exception):
    """Redis did not answer (or failed less than RETRY_SECONDS ago)."""


class Outage:
    """Whether one Redis server is taken as down, shared by the threads of a process."""

    def __init__(self, location: str) -> None:
        self.location = location
        # A content change was saved while down: its version bump is still to be made.
        self.bump_owed = False
        self._until = 0.0
        self._since: float | None = None

    def ongoing(self) -> bool:
        return time.monotonic() < self._until

    def began(self, error: BaseException) -> None:
        if self._since is None:  # once per outage, not once per request
            logger.error(
                "cache: Redis at %s unreachable (%r); using this process's memory", self.location, error
            )
            self._since = time.monotonic()
        self._until = time.monotonic() + RETRY_SECONDS

    def ended(self) -> None:
        if self._since is not None:
            logger.warning(
                "cache: Redis at %s answers again after %.1f s", self.location, time.monotonic() - self._since
            )
            self._since = None


_outages: dict[str, Outage] = {}


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # redis-py waits forever by default: a Redis that stops answering would hang requests.
        self._options = {"socket_connect_timeout": 0.5, "socket_timeout": 2.0, **self._options}
        self._own = threading.local()
        location = ",".join(self._servers)
        self._outage = _outages.setdefault(location, Outage(location))
        # LocMemCache instances of one name share their storage: one stand-in per process.
        self._stand_in = LocMemCache(f"redis-outage:{location}", {"MAX_ENTRIES": 10_000})

    @property
    def bump_owed(self) -> bool:
        return self._outage.bump_owed

    @bump_owed.setter
    def bump_owed(self, owed: bool) -> None:
        self._outage.bump_owed = owed

    def _errors(self) -> tuple[type[BaseException], ...]:
        return (self._cache._lib.ConnectionError, self._cache._lib.TimeoutError, OSError)

    def _call(self, name: str, *args, **kwargs):
        """Django's `name` on Redis or, while Redis is unreachable, on the in-process stand-in."""
        if not self._outage.ongoing():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except self._errors() as error:
                self._outage.began(error)
            else:
                self._outage.ended()
                return result
        return getattr(self._stand_in, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._stand_in.clear()
        return self._call("clear")

    def get_many_or_raise(self, keys) -> dict:
        """`get_many` from Redis itself: `Unreachable` rather than the stand-in's answer."""
        if self._outage.ongoing():
            raise Unreachable(self._outage.location)
        try:
            return DjangoRedisCache.get_many(self, keys)
        except self._errors() as error:
            self._outage.began(error)
            raise Unreachable(self._outage.location) from error

    def check(self) -> None:
        """Raise unless Redis answers now (for /readyz: the stand-in hides an outage)."""
        self._cache.get_client(write=True).ping()

    def get_small(self, key: str):
        """`get(key)` for a small key read on every request, on this thread's own connection.

        A connection error retries once through the pool (which reconnects); if that fails
        too, or Redis failed less than RETRY_SECONDS ago, it raises `Unreachable`: the
        content version has no stand-in (pagecache/versions.py).
        """
        if self._outage.ongoing():
            raise Unreachable(self._outage.location)
        connection = self._own_connection()
        try:
            connection.send_command("GET", self.make_key(key), check_health=False)
            value = connection.read_response()
        except self._errors():
            connection.disconnect()
            try:
                return DjangoRedisCache.get(self, key)
            except self._errors() as error:
                self._outage.began(error)
                raise Unreachable(self._outage.location) from error
        self._outage.ended()
        return None if value is None else self._cache._serializer.loads(value)

    def _own_connection(self):
        own = self._own
        # A process forked after the first read (gunicorn --preload) opens its own.
        if getattr(own, "pid", None) != os.getpid():
            pool = self._cache._get_connection_pool(write=False)
            own.connection = pool.connection_class(**pool.connection_kwargs)
            own.pid = os.getpid()
        return own.connection

    def version_channel(self, key: str) -> str:
        """The pub/sub channel announcing `key`'s new values: channels are not per database,
        so it names the database as well as the key (with this cache's key prefix)."""
        db = self._cache._get_connection_pool(write=True).connection_kwargs.get("db", 0)
        return f"pagecache:db{db}:{self.make_key(key)}"

    def bump_and_publish(self, key: str, fresh: int) -> int:
        """Move the integer under `key` (set to `fresh` first if missing), publish it, return it."""
        if self._outage.ongoing():
            raise Unreachable(self._outage.location)
        client = self._cache.get_client(write=True)
        try:
            with client.pipeline(transaction=True) as pipeline:
                pipeline.eval(_BUMP_SCRIPT, 1, self.make_key(key), fresh, self.version_channel(key))
                (version,) = pipeline.execute()
        except self._errors() as error:
            self._outage.began(error)
            raise Unreachable(self._outage.location) from error
        return int(version)

    def subscription_connection(self, key: str):
        """A new connection to the primary server, for SUBSCRIBE to `key`'s channel (RESP2
        replies), named after the channel so CLIENT LIST shows (and CLIENT KILL finds) it."""
        pool = self._cache._get_connection_pool(write=True)
        # RESP2: messages arrive as plain replies (RESP3 makes them push frames, which
        # redis-py hands to handlers), and so no maintenance-notification handling, which
        # redis-py only offers on RESP3.
        options = {**pool.connection_kwargs, "protocol": 2}
        options.pop("maint_notifications_config", None)
        options.pop("maint_notifications_pool_handler", None)
        options["client_name"] = self.version_channel(key)
        if options.get("socket_timeout") is None:
            options["socket_timeout"] = 5.0  # reads of a message already announced, never idle waits
        if self._outage.ongoing():
            raise Unreachable(self._outage.location)
        connection = pool.connection_class(**options)
        try:
            connection.connect()
        except self._errors() as error:
            self._outage.began(error)
            raise Unreachable(self._outage.location) from error
        return connection
