"""Fixed-window rate limits kept in Django's cache (Redis in production, so all workers share them).

A tiny service on cache.add/incr rather than django-ratelimit's decorator: the form
needs to count per e-mail address only once the form is valid, and to answer with
its own page and a 429, which a view decorator cannot do.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def limit_exceeded(scope: str, identity: str) -> bool:
    """Count one attempt for (scope, identity); True once the scope's limit for the window is passed."""
    if not settings.CONTACT_RATE_LIMITS_ENABLED:
        return False
    limit, window = settings.CONTACT_RATE_LIMITS[scope]
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    key = f"contact-rl:{scope}:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
