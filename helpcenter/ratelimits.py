"""The one rate limiter for the whole site.

Every limit is a scope in settings.RATE_LIMITS ("20/h", django-ratelimit's notation),
counted by django-ratelimit in the shared cache (Redis in production, so all workers
share the counts) per client address (helpcenter.request.client_address: an IPv4
address or an IPv6 /64), or per an identity the caller gives (a normalised email
address). DJANGO_RATELIMIT_ENABLE=0 switches every limit off at once (only benchmarks
that replay thousands of posts from one address do).

Two ways to apply a limit, one count: `limit_exceeded()` where a view must keep what the
visitor typed (it re-renders its form with status 429 and the notice), and the
`rate_limit()` decorator where there is nothing to keep: it raises `Ratelimited`, which
django-ratelimit's middleware turns into the one 429 page (RATELIMIT_VIEW).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from . import metrics
from .request import client_address


def limit_exceeded(request: HttpRequest, scope: str, identity: str | None = None) -> bool:
    """Count one attempt in `scope` for this client (or `identity`); True once over the limit."""
    who = client_address(request) if identity is None else identity

    def key(group: str, request: HttpRequest) -> str:
        return who

    refused = is_ratelimited(request, group=scope, key=key, rate=settings.RATE_LIMITS[scope], increment=True)
    if refused:
        metrics.rate_limit_refused(scope)
    return refused


def rate_limit(scope: str) -> Callable:
    """Limit a view's POSTs in `scope`; over the limit the visitor gets the 429 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST" and limit_exceeded(request, scope):
                raise Ratelimited(scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
