"""The hit path: cached pages answered in front of Django's WSGI handler.

`PageCacheApplication` wraps the site's WSGI application (helpcenter/wsgi.py). A request
that may see a cached page (GET or HEAD, no session or flash-message cookie, no
Authorization header, a Host in ALLOWED_HOSTS, not about to be redirected to HTTPS, not
conditional) whose page this worker already answered once through the whole stack is
answered here, without building a request, sending Django's request signals or running
the middleware chain: those cost more than the page itself.

What it sends is what the whole stack sent for that page (`Answer`, recorded from the
first answer that went through Django: every security header, Vary, Content-Type,
Content-Language...), with the parts that belong to each answer made again: the
Cache-Control of the time left, the request id, and for the contact form a fresh CSRF
token and cookie (pagecache/token_pages.py). The request log line and the metrics are
written as RequestLogMiddleware writes them. Anything else goes to Django, where
PageCacheMiddleware keeps the rules for what is stored (pagecache/middleware.py) and
answers what this path leaves to it (304s, a worker's first answer of a page).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host

from helpcenter import metrics, request_log

from . import token_pages
from .local import StoredPage, local_pages
from .token_pages import TokenAnswer
from .versions import current_version

logger = logging.getLogger(__name__)

#: Where the key this path computed travels to PageCacheMiddleware (Django rewrites PATH_INFO).
ENVIRON_KEY = "pagecache.key"
# Headers made again for each answer, never replayed from the recorded one.
PER_ANSWER = frozenset({"cache-control", "x-request-id", "expires", "content-length", "set-cookie"})
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
_KEY_META = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST")  # pagecache.middleware.KEY_HEADERS
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # the test GZipMiddleware makes
_DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]  # what Django allows with DEBUG and no ALLOWED_HOSTS


class Answer:
    """What the whole stack answered for one stored page, minus the parts made per answer."""

    __slots__ = ("headers", "view", "route", "token")

    def __init__(self, headers: list[tuple[str, str]], view: str, route: str, token: TokenAnswer | None):
        self.headers = headers
        self.view = view
        self.route = route
        self.token = token


class _Settings:
    """The settings read on every request, read once (and again after any change: `forget_settings`).

    Each `settings.NAME` costs a LazyObject lookup; a hit reads a dozen of them.
    """

    def __init__(self) -> None:
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.forwarded_host = settings.USE_X_FORWARDED_HOST
        allowed = settings.ALLOWED_HOSTS
        self.allowed_hosts = tuple(_DEBUG_HOSTS if settings.DEBUG and not allowed else allowed)
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.shared_max_age = settings.PAGE_CACHE_SHARED_MAX_AGE
        self.stale_while_revalidate = settings.PAGE_CACHE_STALE_WHILE_REVALIDATE


_settings: list[_Settings | None] = [None]


def _current_settings() -> _Settings:
    current = _settings[0]
    if current is None:
        current = _settings[0] = _Settings()
    return current


def forget_settings(**kwargs) -> None:
    """Receiver of `setting_changed` (tests): the next request reads the settings again."""
    _settings[0] = None
    token_pages.forget_settings()


def _scheme(environ: dict, config: _Settings) -> str:
    """request.scheme, from the environ (SECURE_PROXY_SSL_HEADER as Django reads it)."""
    header = config.proxy_ssl_header
    if header:
        name, secure_value = header
        value = environ.get(name)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


@lru_cache(maxsize=256)
def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def _allowed_host(environ: dict, config: _Settings) -> str | None:
    """request.get_host() when Django would accept it, else None (Django then answers its 400)."""
    if config.forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST")
    if not host:
        return None  # Django builds it from SERVER_NAME: left to Django
    return host if _host_allowed(host, config.allowed_hosts) else None


def _may_use_cache(environ: dict, config: _Settings) -> bool:
    """pagecache.middleware.request_may_use_cache on the environ, with HEAD answered like GET."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
        return False
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return True
    cookies = parse_cookie(raw)
    return config.session_cookie not in cookies and CookieStorage.cookie_name not in cookies


def cache_key(environ: dict, config: _Settings) -> str | None:
    """The page's key, or None when this request must not see a cached page."""
    if not _may_use_cache(environ, config):
        return None
    scheme = _scheme(environ, config)
    if scheme != "https" and config.ssl_redirect:
        return None  # SecurityMiddleware redirects it
    host = _allowed_host(environ, config)
    if host is None:
        return None
    gzip = "gz" if _ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "id"
    headers = "|".join(environ.get(name, "") for name in _KEY_META)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return f"{scheme}://{host}{path}?{environ.get('QUERY_STRING', '')}|{gzip}|{headers}"


def _public_cache_control(remaining: float, config: _Settings) -> str:
    """pagecache.middleware._public_headers' value."""
    shared = min(config.shared_max_age, int(remaining))
    stale = min(config.stale_while_revalidate, int(remaining) - shared)
    value = f"public, max-age=0, s-maxage={shared}"
    return value + f", stale-while-revalidate={stale}" if stale > 0 else value


def record_answer(page: StoredPage, response, view: str, route: str) -> None:
    """Keep what the whole stack answered for `page` (a 200 to a GET), for the next hits."""
    if response.cookies and page.token_placeholder is None:
        return  # a public page never sets a cookie; this one is not replayed
    headers = [(name, value) for name, value in response.items() if name.lower() not in PER_ANSWER]
    token = TokenAnswer.for_page(page, response) if page.token_placeholder is not None else None
    if page.token_placeholder is not None and token is None:
        return
    page.answer = Answer(headers, view, route, token)


class PageCacheApplication:
    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        config = _current_settings()
        if config.enabled:
            key = cache_key(environ, config)
            if key is not None:
                environ[ENVIRON_KEY] = key
                answer = self._hit(key, environ, started, start_response, config)
                if answer is not None:
                    return answer
        response = self.application(environ, start_response)
        page = getattr(response, "page_cache_entry", None)
        if page is not None and page.answer is None and environ["REQUEST_METHOD"] == "GET":
            record_answer(page, response, *getattr(response, "request_log_view", ("", "")))
        return response

    def _hit(self, key: str, environ: dict, started: float, start_response: Callable, config: _Settings):
        if _CONDITIONAL[0] in environ or _CONDITIONAL[1] in environ:
            return None  # PageCacheMiddleware answers the 304 as Django's get_conditional_response does
        page = local_pages.get(key)
        if page is None or page.answer is None:
            return None
        now = time.time()
        if page.deadline <= now or page.version != current_version():
            return None
        answer = page.answer
        request_id = request_log.request_id_for(environ)
        headers = list(answer.headers)
        if answer.token is None:
            body = page.content
            headers.append(("Cache-Control", _public_cache_control(page.deadline - now, config)))
        else:
            body = answer.token.answer(parse_cookie(environ.get("HTTP_COOKIE", "")), headers, now)
        headers.append(("Content-Length", str(len(body))))
        headers.append((request_log.REQUEST_ID_HEADER, request_id))
        if page.on_hit:
            _run_on_hit(page.on_hit)
        start_response("200 OK", headers)
        method = environ["REQUEST_METHOD"]
        metrics.page_cache_hit()
        request_log.log_answer(
            environ, request_id, method, answer.view, answer.route, 200, time.perf_counter() - started
        )
        return [] if method == "HEAD" else [body]


def _run_on_hit(on_hit: tuple[str, dict]) -> None:
    """What the page asks for on every hit (counting an article view); never fails the answer."""
    from .middleware import _function

    function, kwargs = on_hit
    try:
        _function(function)(**kwargs)
    except Exception:
        logger.exception("Page cache: %s failed on a hit", function)
