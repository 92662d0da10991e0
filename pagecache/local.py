"""Each worker's own copy of the pages it serves, so a hit asks the shared cache only for the version.

Fetching a whole page from Redis on every hit (about 14 KB for the home page), and
unpickling it into an HttpResponse, was most of what a hit cost beyond the constant view
on the shared 2-core machine: Redis copying the bytes out, the worker reading and decoding
them. Now a worker keeps each page it has served, tagged with the content version it was
rendered under, and a hit reads only the current version from the shared cache (a few
bytes): that read is the one thing every worker and server must do on every request to
be never stale, because a change anywhere moves that version. A copy whose version is
not the current one is never served.

A version never comes back (pagecache/versions.py), so the first time a worker sees a new
version all its copies are dropped at once. The copies are also bounded in bytes
(PAGE_CACHE_LOCAL_BYTES per worker), least recently used out first.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from http.cookies import SimpleCookie

from django.conf import settings
from django.http import HttpResponse
from django.http.response import ResponseHeaders


class StoredPage:
    """A cached answer as plain values: cheaper to pickle than an HttpResponse."""

    __slots__ = (
        "version",
        "deadline",
        "status",
        "headers",
        "content",
        "on_hit",
        "token_placeholder",
        "_prototype",
        "answer",
    )

    def __init__(
        self,
        version: str,
        deadline: float,
        status: int,
        headers: tuple[tuple[str, str], ...],
        content: bytes,
        on_hit: tuple[str, dict] | None = None,
        token_placeholder: str | None = None,
    ) -> None:
        self.version = version
        self.deadline = deadline  # time.time() after which it is never served
        self.status = status
        self.headers = headers
        self.content = content
        # What must still happen on every hit: (dotted path of a function, keyword arguments).
        self.on_hit = on_hit
        # Set for a page whose only personal part is its CSRF token: the text standing in for it.
        self.token_placeholder = token_placeholder
        self._prototype: HttpResponse | None = None
        # What the whole stack answered for it in this worker (pagecache/wsgi.py's Answer),
        # recorded from its first answer here; never pickled into the shared cache.
        self.answer = None

    def __reduce__(self):
        fields = ("version", "deadline", "status", "headers", "content", "on_hit", "token_placeholder")
        return (StoredPage, tuple(getattr(self, name) for name in fields))

    def response(self) -> HttpResponse:
        """A new response per answer (the middleware above and the server change its headers).

        Copied from one built the first time: building an HttpResponse checks and encodes
        every header again, a sixth of a hit's own cost.
        """
        prototype = self._prototype
        if prototype is None:
            prototype = self._prototype = HttpResponse(
                self.content, status=self.status, headers=dict(self.headers)
            )
        response = copy.copy(prototype)
        response.headers = ResponseHeaders({})
        response.headers._store = prototype.headers._store.copy()  # already checked and encoded
        response.cookies = SimpleCookie()
        response._container = list(prototype._container)
        response._resource_closers = []
        return response


class LocalPages:
    """Pages of one content version, in this process, bounded in bytes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # gunicorn's threaded workers and runserver share one
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None

    def get(self, key: str) -> StoredPage | None:
        """The copy kept under `key`, of whatever version: the caller compares it with the current one."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: StoredPage, current_version: str) -> None:
        """Keep `page` if it is of `current_version`; a new version drops every older copy first."""
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(page.content) + len(key)
        with self._lock:
            if current_version != self._version:
                self._pages.clear()
                self._bytes = 0
                self._version = current_version
            if page.version != current_version or size > limit:
                return
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content) + len(key)
            self._pages[key] = page
            self._bytes += size
            while self._bytes > limit:
                dropped_key, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.content) + len(dropped_key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0
            self._version = None


local_pages = LocalPages()
