"""An optional read replica (DATABASE_REPLICA_URL): public pages read from it, everything else from the primary.

Who reads from the replica: a GET or HEAD request that carries no cookie and no
Authorization header, outside the admin (`ReplicaMiddleware`). That is the page cache's
audience, people reading the same pages as everyone. Anyone who may be about to read their own
write carries a cookie: the contact, report and feedback forms set the CSRF or visitor
cookie before anything is posted, staff have a session. So nobody misses what they just
sent because the replica is a moment behind.

Within such a request the first write (any save, update, delete or create through the ORM:
the router's `db_for_write`) pins the rest of the request to the primary, so what the
request reads after it sees what it wrote. Outside requests (the task worker, management
commands) everything goes to the primary.

A page rendered from the replica may predate a change the primary already has (replication
lag), while the page cache files it under the new content version; so the page cache keeps
such pages at most DJANGO_REPLICA_PAGE_CACHE_SECONDS instead of DJANGO_PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_max_age, patch_cache_control

REPLICA_DB_ALIAS = "replica"

_reads_may_use_replica: ContextVar[bool] = ContextVar("reads_may_use_replica", default=False)
_pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)
_read_from_replica: ContextVar[bool] = ContextVar("read_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if _reads_may_use_replica.get() and not _pinned_to_primary.get():
            _read_from_replica.set(True)
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        _pinned_to_primary.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica gets its schema by replication


def reads_go_to_replica() -> bool:
    """Whether this request's reads go to the replica now (values derived from them may lag)."""
    return _reads_may_use_replica.get() and not _pinned_to_primary.get()


def request_reads_replica(request: HttpRequest) -> bool:
    """A visitor reading public pages: no cookie (no session, no form about to be answered), no credentials."""
    return (
        request.method in {"GET", "HEAD"}
        and "HTTP_COOKIE" not in request.META
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith("/" + settings.ADMIN_URL)
    )


class ReplicaMiddleware:
    """Marks the requests that may read from the replica; inside PageCacheMiddleware (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        allowed = _reads_may_use_replica.set(request_reads_replica(request))
        pinned = _pinned_to_primary.set(False)
        used = _read_from_replica.set(False)
        try:
            response = self.get_response(request)
            if (
                settings.PAGE_CACHE_ENABLED
                and _read_from_replica.get()
                and getattr(response, "public_page", False)  # pagecache's mark, read only
            ):
                cap = settings.REPLICA_PAGE_CACHE_SECONDS
                max_age = get_max_age(response)
                patch_cache_control(response, max_age=cap if max_age is None else min(max_age, cap))
            return response
        finally:
            _reads_may_use_replica.reset(allowed)
            _pinned_to_primary.reset(pinned)
            _read_from_replica.reset(used)
