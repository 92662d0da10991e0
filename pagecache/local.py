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

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A cached answer as plain values: cheaper to pickle and to copy than an HttpResponse."""

    version: str
    deadline: float  # time.time() after which it is never served
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    # What must still happen on every hit: (dotted path of a function, keyword arguments).
    on_hit: tuple[str, dict] | None = None
    # Set for a page whose only personal part is its CSRF token: the text standing in for it.
    token_placeholder: str | None = None

    def response(self) -> HttpResponse:
        """A new response per answer: the middleware above and the server may change its headers."""
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


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


local_pages = LocalPages()
