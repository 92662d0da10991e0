"""Site-wide middleware: headers Django has no setting for, and the 503 page for database outages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from .views import service_unavailable

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` (Django 5.2 has no setting for it) on every response.

    The help center needs no camera, microphone, location, payment or USB access, so a
    script injected despite the CSP, or a page that frames us, cannot ask for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class DatabaseUnavailableMiddleware:
    """Answer a clean 503 page instead of a 500 when the database cannot be reached.

    Views raise `OperationalError`/`InterfaceError` when PostgreSQL is down or a
    connection was cut; any open transaction is rolled back by the server, so nothing
    half-written remains. Nothing is cached here: the next request opens a fresh
    connection (`conn_health_checks` drops the broken one), so the site recovers by
    itself once the database is back. Errors raised outside views (in another
    middleware) reach `handler500`, which makes the same choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or a query parameter is a 400, before any view can query with it.

    PostgreSQL refuses NUL in text, so such a value reaching any query (a list filter in the
    admin, a lookup in a view written next year) is a 500 there and works on SQLite. No
    person types a NUL into an address, so the whole request is refused: the site's 400
    page (JSON under /api/). Form posts are left to the forms, whose fields refuse NUL
    with a message on the field and keep the rest of what was typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the URL")
        return self.get_response(request)


class OperationsMiddleware:
    """Answer /healthz, /readyz and (with DJANGO_METRICS_TOKEN set) /metrics before anything else.

    Near the top of the stack, so probes and scrapes skip the host check, HTTPS redirect,
    page cache, sessions, language prefix and rate limits: a load balancer probing by IP
    address over plain HTTP gets its answer, /healthz touches no database, cache or file,
    and no probe is ever counted against a visitor's limits or kept in a cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from . import health, metrics

        self.get_response = get_response
        self.endpoints = {
            "/healthz": health.healthz,
            "/readyz": health.readyz,
            "/metrics": metrics.metrics_view,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = self.endpoints.get(request.path_info)
        if endpoint is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path_info == "/metrics" and not settings.METRICS_TOKEN:
            return self.get_response(request)  # no token configured: no metrics, the site's 404
        # Named for the request log and the per-view metrics like any routed view.
        name = request.path_info.strip("/")
        request.resolver_match = ResolverMatch(endpoint, (), {}, url_name=name, route=name)
        return endpoint(request)
