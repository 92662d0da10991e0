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
import os
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation

from . import metrics
from .request import client_address_from_meta

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
    return log_client_address_from_meta(request.META)


def log_client_address_from_meta(meta: dict) -> str:
    address = client_address_from_meta(meta)  # a valid IPv4 address, the /64 of an IPv6 one, or ""
    if ":" in address or not address:
        return address
    # String work on an address client_address already validated: ipaddress costs ~20 us a request.
    return address.rpartition(".")[0] + ".0"


def request_id_for(meta: dict) -> str:
    """The proxy's id when behind our proxy and well formed, else a new one; set for this thread's log lines."""
    # Only our own proxy's id is trusted: a visitor could otherwise pick ids to confuse a search.
    value = meta.get("HTTP_X_REQUEST_ID", "") if settings.BEHIND_PROXY else ""
    request_id = value if value and _REQUEST_ID_RE.fullmatch(value) else os.urandom(16).hex()
    # Not reset on the way out: Django logs 4xx/5xx responses ("Not Found: ...") and runs
    # request_finished after the middleware returns, and those lines belong to this request.
    # The next request on this thread sets its own.
    _request_id.set(request_id)
    return request_id


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
        request_id = request.request_id = request_id_for(request.META)
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        view, route = view_and_route(request)
        # For the page cache's hit path, which names the next answers of a stored page so.
        response.request_log_view = (view, route)
        log_answer(request.META, request_id, request.method, view, route, response.status_code, duration)
        return response


def log_answer(
    meta: dict, request_id: str, method: str, view: str, route: str, status: int, seconds: float
) -> None:
    """Count one answer in the metrics and write its request log line."""
    metrics.request_observed(view, method, status, seconds)
    if not logger.isEnabledFor(logging.INFO):
        return
    client = log_client_address_from_meta(meta)
    duration_ms = round(seconds * 1000, 2)
    handlers = request_line_handlers()
    if handlers is None:  # handlers or filters of other kinds: through logging, as any record
        fields = {"method": method, "view": view, "route": route, "status": status}
        fields.update(duration_ms=duration_ms, client=client)
        logger.info("%s %s %s", method, view, status, extra={"fields": fields})
        return
    line = request_line(request_id, method, view, route, status, duration_ms, client)
    for handler in handlers:
        handler.acquire()
        try:
            handler.stream.write(line + handler.terminator)
            handler.flush()
        except Exception:
            handler.handleError(logger.makeRecord(logger.name, logging.INFO, "", 0, line, (), None))
        finally:
            handler.release()


# The line JsonFormatter writes for a request record, built directly (pagecache/wsgi.py answers
# a hit in about 60 us; logging's record, json.dumps of a dict and the formatter cost as much).
_json = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for strings
_time_prefix: list = [None, ""]  # (second, formatted) of the last line


def request_line(
    request_id: str, method: str, view: str, route: str, status: int, duration_ms: float, client: str
) -> str:
    """Exactly `JsonFormatter().format()` of the request log record (tests/observability compare them)."""
    now = time.time()
    second = int(now)
    if _time_prefix[0] != second:
        _time_prefix[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    stamp = f"{_time_prefix[1]}.{int((now - second) * 1000):03d}Z"
    line = (
        f'{{"time": "{stamp}", {_line_middle(method, view, route, status)}'
        f'{_json(request_id)}, "method": {_json(method)}, "view": {_json(view)}, "route": {_json(route)}, '
        f'"status": {status}, "duration_ms": {duration_ms!r}, "client": {_json(client)}}}'
    )
    return _EMAIL_RE.sub("[email]", line) if "@" in line else line


@lru_cache(maxsize=1024)
def _line_middle(method: str, view: str, route: str, status: int) -> str:
    message = _json(f"{method} {view} {status}")
    return f'"level": "INFO", "logger": {_json(logger.name)}, "message": {message}, "request_id": '


def request_line_handlers() -> list[logging.StreamHandler] | None:
    """The handlers a request record reaches, when each is a plain StreamHandler with JsonFormatter
    and nothing filters: then the line is written to their streams directly. Otherwise None."""
    if logger.disabled:
        return []
    found = []
    current = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if handler.level > logging.INFO:
                continue
            if type(handler) is not logging.StreamHandler or type(handler.formatter) is not JsonFormatter:
                return None
            if handler.filters:
                return None
            found.append(handler)
        current = current.parent if current.propagate else None
    return found


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
