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
"""

from __future__ import annotations

import os
import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

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
        self._own = threading.local()

    def get_small(self, key: str):
        """`get(key)` for a small key read on every request, on this thread's own connection.

        Any connection error falls back to `get`, whose pool reconnects and retries.
        """
        connection = self._own_connection()
        try:
            connection.send_command("GET", self.make_key(key), check_health=False)
            value = connection.read_response()
        except (self._cache._lib.ConnectionError, self._cache._lib.TimeoutError, OSError):
            connection.disconnect()
            return self.get(key)
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
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=True) as pipeline:
            pipeline.eval(_BUMP_SCRIPT, 1, self.make_key(key), fresh, self.version_channel(key))
            (version,) = pipeline.execute()
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
        connection = pool.connection_class(**options)
        connection.connect()
        return connection
