"""Structured logs: one JSON line per request, a request id on every line, no personal data.

`RequestLogMiddleware` is the outermost middleware. It gives each request an id (the
proxy's `X-Request-ID` when behind our proxy and well formed, else a fresh one), sends it
back in the `X-Request-ID` header, and when the response is ready writes one line to the
`helpcenter.request` logger: id, method, view name, status, duration and the client's
network (`log_client_address`: the last IPv4 octet or the last 64 IPv6 bits dropped). It also
feeds the same figures to the Prometheus metrics (helpcenter/metrics.py), so a request is
measured once.

`JsonFormatter` writes every log record (ours, Django's, the task worker's) as one JSON
object per line, with the id of the request it was written in, and masks anything shaped
like an email address, whatever logger wrote it: an SMTP refusal names its recipient. The
path is never logged for resolved views (the route pattern is: status links carry tokens),
nor the query string.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation

from . import metrics
from .request import client_address

logger = logging.getLogger("helpcenter.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from the proxy (nginx's $request_id is 32 hex digits): anything else is replaced.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")
_EMAIL_RE = re.compile(r"[^\s@<>\"'(),;:\[\]]+@[^\s@<>\"'(),;:\[\]]+\.[A-Za-z]{2,}")
# A record's own fields go in `extra={"fields": {...}}`; the formatter writes them out.

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request being handled in this thread, or "" outside a request."""
    return _request_id.get()


def log_client_address(request: HttpRequest) -> str:
    """The client's network for the logs: IPv4 without its last octet, IPv6 as its /64."""
    address = client_address(request)  # a valid IPv4 address, the /64 of an IPv6 one, or ""
    if ":" in address or not address:
        return address
    # String work on an address client_address already validated: ipaddress costs ~20 us a request.
    return address.rpartition(".")[0] + ".0"


def _incoming_request_id(request: HttpRequest) -> str | None:
    # Only our own proxy's id is trusted: a visitor could otherwise pick ids to confuse a search.
    if not settings.BEHIND_PROXY:
        return None
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if _REQUEST_ID_RE.fullmatch(value) else None


@lru_cache(maxsize=2048)
def _view_for_path(path: str) -> tuple[str, str]:
    """(view name, route) for a path no view has resolved yet (answered from the page cache)."""
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return "<unresolved>", ""
    return match.view_name, match.route


def view_and_route(request: HttpRequest) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name, match.route
    if request.path_info.startswith(_STATIC_PREFIX):
        return "static", ""  # answered by WhiteNoise, which no URL pattern routes to
    return _view_for_path(request.path_info)


_STATIC_PREFIX = "/" + settings.STATIC_URL.strip("/") + "/"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = _incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses ("Not Found: ...") and runs
        # request_finished after the middleware returns, and those lines belong to this request.
        # The next request on this thread sets its own.
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        view, route = view_and_route(request)
        metrics.request_observed(view, request.method, response.status_code, duration)
        logger.info(
            "%s %s %s",
            request.method,
            view,
            response.status_code,
            extra={
                "fields": {
                    "method": request.method,
                    "view": view,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 2),
                    "client": log_client_address(request),
                }
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line; email addresses masked in whatever the record says."""

    def format(self, record: logging.LogRecord) -> str:
        created = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        entry = {
            "time": f"{created}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id() or None,
        }
        fields = record.__dict__.get("fields")
        if fields:
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        line = json.dumps(entry, ensure_ascii=False, default=str)
        # The test for "@" first: the pattern costs ~25 us on a line, and most lines have none.
        return _EMAIL_RE.sub("[email]", line) if "@" in line else line
