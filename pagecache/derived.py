"""Values derived from the content that pages read, kept per content version.

A page rendered after a content change reads the small tables that nearly every page shows
(brands, categories, channels with their hours, scam alerts) from here instead of querying
each of them again: each value is stored under the content version it was computed for
(pagecache/versions.py), so any write to a content model makes it unreachable exactly as it
does the cached pages, and it is never kept past the next scheduled change (a publish time,
a scam alert starting or ending: pagecache/schedule.py). The writer computes them for the new
version right after its commit (`warm`, a `content_committed` receiver), so the first visitor
after a change finds them.

Only values that are complete for every visitor belong here: rows of a table, not anything a
request narrows (the callers filter the kept rows by brand or language themselves).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from helpcenter.replica import reads_go_to_replica

from .schedule import lifetime_until_scheduled_change
from .versions import current_version, page_cache

T = TypeVar("T")

#: Longest a derived value is kept; the content version, not this, is what keeps it true.
DERIVED_SECONDS = 600
KEY = "pagecache:derived:{name}:{version}"

_derivations: dict[str, Callable[[], object]] = {}


def derived(name: str, compute: Callable[[], T], *, seconds: int = DERIVED_SECONDS) -> T:
    """`compute()`, computed once per content version (and `name`) and kept in the page cache
    for at most `seconds`.

    `name` must say everything the value depends on besides the content (a date, a language).
    """
    version = current_version()
    cache = page_cache()
    key = KEY.format(name=name, version=version)
    # Computed from a read replica (helpcenter/replica.py), a value may lag the primary: it is
    # kept apart, for as long as a page read from the replica is, so a reader of the primary
    # (who may have just written) never gets it; readers of the replica keep to the replica's.
    from_replica = reads_go_to_replica()
    if from_replica:
        key = f"{key}:replica"
    kept = cache.get(key)
    if kept is not None and time.time() < kept[0]:
        return kept[1]
    # The deadline first: a scheduled instant passing while `compute()` reads is then still
    # ahead of it, so the value is dropped at that instant rather than kept past it. The
    # deadline is kept with the value and checked on every read, whatever the backend's
    # rounding of timeouts.
    if from_replica:
        seconds = min(seconds, settings.REPLICA_PAGE_CACHE_SECONDS)
    lifetime = lifetime_until_scheduled_change(version, seconds)
    deadline = time.time() + lifetime
    value = compute()
    if lifetime > 0:
        cache.set(key, (deadline, value), lifetime)
    return value


def derive_together(compute: Callable[[], dict[str, object]], *, seconds: int = DERIVED_SECONDS) -> None:
    """Compute several values in one go (`compute` answers them by name) and keep each as
    `derived` would, for the writer: one read can serve many values."""
    version = current_version()
    lifetime = lifetime_until_scheduled_change(version, seconds)
    deadline = time.time() + lifetime  # before reading, as in `derived`
    values = compute()
    if lifetime > 0:
        entries = {
            KEY.format(name=name, version=version): (deadline, value) for name, value in values.items()
        }
        page_cache().set_many(entries, lifetime)


def register(name: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Mark a no-argument function whose value every page needs: the writer computes it after each change."""

    def decorator(function: Callable[[], T]) -> Callable[[], T]:
        _derivations[name] = function
        return function

    return decorator


def warm(sender, version: str, **kwargs) -> None:
    """A `content_committed` receiver: compute every registered value for the new version now,
    so the writer pays for those queries and the next visitor's page does not."""
    for function in list(_derivations.values()):
        function()
