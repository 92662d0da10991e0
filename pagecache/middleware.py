"""The shared page cache: whole responses for pages that carry nothing personal.

A view opts in with `@public_page`; the middleware then keeps its 200 response in the
shared cache (Redis in production) under the URL and the few request headers that
change the bytes, tagged with the content version (pagecache/versions.py), and answers
the next identical request from there before sessions, CSRF, authentication or the
view run. Placed right after WhiteNoise, outside GZipMiddleware (the compressed and
plain bodies are separate entries), so a hit costs about what a constant view costs. Each
worker keeps its own copy of the pages it served (pagecache/local.py): a hit reads only the
content version from the shared cache.

Refused, whatever the view says (the tests in tests/test_pagecache.py try each one):
- requests other than GET, or carrying a session, a flash message or an Authorization
  header: they may see something personal (staff links, a message meant for them);
- responses other than 200, streaming ones, ones that set a cookie (a CSRF token, a
  session, a visitor id), that accessed the session, that vary on Cookie or on a header
  the key does not hold, that are `private`/`no-store`/`no-cache`, or whose CSP header
  carries a nonce (it must be new on every response).

How long an entry lives: the shortest of PAGE_CACHE_SECONDS, the view's own
`max-age` (the contract for pages that depend on the clock: contact pages set it to the
next opening or closing instant), and the next scheduled publish or alert instant
(pagecache/schedule.py). Each entry records that deadline and is checked against it on
every read, so no backend's rounding of timeouts keeps a page a moment too long.

Headers for caches downstream: a public page gets `public, max-age=0, s-maxage=S,
stale-while-revalidate=W` (browsers revalidate with the ETag, a CDN or nginx keeps it S
seconds, never past the entry's deadline); anything else without its own Cache-Control
gets `private, no-cache`, and anything that sets a cookie or varies on Cookie gets
`private, no-store`, whatever the view set.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    get_conditional_response,
    get_max_age,
    patch_vary_headers,
)
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.regex_helper import _lazy_re_compile

from helpcenter import metrics

from .local import StoredPage, local_pages
from .schedule import next_scheduled_change
from .versions import current_version, page_cache, read_with_version
from .wsgi import ENVIRON_KEY

PUBLIC_PAGE_ATTRIBUTE = "public_page"
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")  # the test GZipMiddleware makes
# Request headers that change a public page's bytes, and so are part of the key.
KEY_HEADERS = ("HX-Request", "HX-History-Restore-Request")
_KEY_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in KEY_HEADERS)
# Vary headers a stored page may carry: the key holds each of them (Accept-Encoding as
# gzip or not; Accept-Language never changes a page, the language is in the URL).
ALLOWED_VARY = {"accept-encoding", "accept-language", *(name.lower() for name in KEY_HEADERS)}
REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}


def public_page(view: Callable) -> Callable:
    """Mark a view's responses as the same for every visitor: the page cache may keep them.

    The middleware still checks every response (cookies, session, Vary, status), so a
    view that starts rendering something personal is not cached, but a view should only
    carry this decorator if nothing it renders depends on who asks.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        mark_public(response)
        return response

    return wrapped


def mark_token_page(response: HttpResponseBase, template: str, placeholder: str) -> HttpResponseBase:
    """Let the page cache keep a page whose only personal part is its CSRF token.

    `template` is the page with `placeholder` where the token goes. The cache stores the
    template; each hit gets a fresh token through Django's own CsrfViewMiddleware (cookie
    read or created, token masked, cookie set, `Vary: Cookie`), the never-cache headers and,
    for clients that accept it, Django's GZipMiddleware, so it answers exactly what the
    view would, without the session, authentication and the rest of the stack.
    """
    response.page_cache_token_template = (template, placeholder)
    return response


def mark_public(response: HttpResponseBase, *, on_hit: tuple[str, dict] | None = None) -> HttpResponseBase:
    """Mark one response as the same for every visitor (see `public_page`).

    `on_hit` is what must still happen when the page is later served from the cache, as
    (dotted path of a function, keyword arguments), e.g. counting an article view. It
    runs on every hit, so it must be cheap (the view counter only adds to memory).
    """
    setattr(response, PUBLIC_PAGE_ATTRIBUTE, True)
    response.page_cache_on_hit = on_hit
    return response


def request_may_use_cache(request: HttpRequest) -> bool:
    """False when the request may be shown something personal: a session, a flash message, credentials."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if "HTTP_COOKIE" not in request.META:
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def cache_key(request: HttpRequest) -> str | None:
    """What identifies the answer: URL, compression and the key headers (the worker's own copies' key)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # the normal path answers 400
    gzip = "gz" if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "id"
    meta = request.META
    headers = "|".join(meta.get(name, "") for name in _KEY_META)
    return f"{request.scheme}://{host}{request.get_full_path()}|{gzip}|{headers}"


def shared_key(key: str) -> str:
    """The key in the shared cache: bounded in length whatever the URL."""
    return "pagecache:page:" + hashlib.sha256(key.encode()).hexdigest()


def _vary(response: HttpResponseBase) -> set[str]:
    return {name.strip().lower() for name in cc_delim_re.split(response.get("Vary", "")) if name.strip()}


def _cache_control(response: HttpResponseBase) -> set[str]:
    return {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }


def _is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or {"cookie", "*"} & _vary(response)
        or (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        getattr(response, PUBLIC_PAGE_ATTRIBUTE, False)
        and response.status_code == 200
        and not response.streaming
        and not _is_personal(request, response)
        and _vary(response) <= ALLOWED_VARY
        and not REFUSED_CACHE_CONTROL & _cache_control(response)
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def _storable_token_page(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A 200 whose only personal part is the CSRF token the view marked (`mark_token_page`)."""
    session = getattr(request, "session", None)
    return (
        getattr(response, "page_cache_token_template", None) is not None
        and response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not (session is not None and session.accessed)
        and _vary(response) <= ALLOWED_VARY | {"cookie"}
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def _public_headers(response: HttpResponseBase, remaining: float) -> None:
    shared = min(settings.PAGE_CACHE_SHARED_MAX_AGE, int(remaining))
    # Stale copies may be served while one request refreshes, but never past the deadline.
    stale = min(settings.PAGE_CACHE_STALE_WHILE_REVALIDATE, int(remaining) - shared)
    value = f"public, max-age=0, s-maxage={shared}"
    if stale > 0:
        value += f", stale-while-revalidate={stale}"
    response["Cache-Control"] = value


def _private_headers(request: HttpRequest, response: HttpResponseBase) -> None:
    if _is_personal(request, response):
        response["Cache-Control"] = "private, no-store"
    elif not response.has_header("Cache-Control"):
        response["Cache-Control"] = "private, no-cache"


def _answered_from(page: StoredPage, response: HttpResponseBase) -> HttpResponseBase:
    """Tell the hit path (pagecache/wsgi.py) which stored page this 200 answers, so it can record it."""
    if response.status_code == 200:
        response.page_cache_entry = page
    return response


@lru_cache(maxsize=32)
def _function(dotted_path: str) -> Callable:
    return import_string(dotted_path)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Django's own middleware, for pages whose only personal part is the CSRF token.
        self.csrf = CsrfViewMiddleware(get_response)
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = None
        if settings.PAGE_CACHE_ENABLED and request_may_use_cache(request):
            # The hit path in front of Django (pagecache/wsgi.py) computed it from the raw environ.
            key = request.META.get(ENVIRON_KEY) or cache_key(request)
        if key is None:
            # Not served from or stored in the cache: not for caches downstream either.
            response = self.get_response(request)
            _private_headers(request, response)
            return response
        version, page = self._lookup(key)
        now = time.time()
        if page is not None and page.deadline > now:
            metrics.page_cache_hit()
            return _answered_from(page, self._from_page(request, page, now))
        metrics.page_cache_miss()
        response = self.get_response(request)
        page = None
        if _storable(request, response):
            page = self._store(key, version, request, response)
        elif _storable_token_page(request, response):
            page = self._store_token_page(key, version, response)
        else:
            _private_headers(request, response)
        # A token page's first answer is the view's own (its headers are not a hit's): not recorded.
        return _answered_from(page, response) if page is not None and not page.token_placeholder else response

    @staticmethod
    def _lookup(key: str) -> tuple[str, StoredPage | None]:
        """The current content version and the page of that version under `key`, if any.

        With this worker's own copy at hand only the version is read (a few bytes from
        Redis); otherwise the version and the page together, in one round trip.
        """
        page = local_pages.get(key)
        if page is not None:
            version = current_version()
            if page.version == version:
                return version, page
        version, page = read_with_version(shared_key(key))
        # Not a StoredPage: an entry written by an older release under the same key.
        if not isinstance(page, StoredPage) or page.version != version:
            return version, None
        local_pages.put(key, page, version)
        return version, page

    def _keep(self, key: str, page: StoredPage, lifetime: float) -> StoredPage:
        page_cache().set(shared_key(key), page, int(lifetime) + 1)
        local_pages.put(key, page, page.version)
        return page

    def _store_token_page(self, key: str, version: str, response: HttpResponseBase) -> StoredPage | None:
        lifetime = settings.PAGE_CACHE_SECONDS
        scheduled = next_scheduled_change(version)
        if scheduled is not None:
            lifetime = min(lifetime, scheduled.timestamp() - time.time())
        if lifetime < 1:
            return None
        template, placeholder = response.page_cache_token_template
        dropped = {"content-encoding", "content-length", "set-cookie", "etag"}
        page = StoredPage(
            version=version,
            deadline=time.time() + lifetime,
            status=response.status_code,
            headers=tuple((name, value) for name, value in response.items() if name.lower() not in dropped),
            content=template.encode() if isinstance(template, str) else template,
            token_placeholder=placeholder,
        )
        return self._keep(key, page, lifetime)

    def _token_page(self, request: HttpRequest, page: StoredPage) -> HttpResponseBase:
        self.csrf.process_request(request)
        token = get_token(request)
        response = page.response()
        response.content = page.content.replace(page.token_placeholder.encode(), token.encode())
        response = self.csrf.process_response(request, response)
        add_never_cache_headers(response)
        return self.gzip.process_response(request, response)

    def _store(
        self, key: str, version: str, request: HttpRequest, response: HttpResponse
    ) -> StoredPage | None:
        now = time.time()
        lifetime = settings.PAGE_CACHE_SECONDS
        view_max_age = get_max_age(response)
        if view_max_age is not None:
            lifetime = min(lifetime, view_max_age)
        scheduled = next_scheduled_change(version)
        if scheduled is not None:
            lifetime = min(lifetime, scheduled.timestamp() - now)
        if lifetime < 1:
            _public_headers(response, 0)
            return None
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        # Accept-Language never changes a page (the language is in the URL); without it in
        # Vary a CDN keeps one copy instead of one per browser language.
        vary = [name for name in cc_delim_re.split(response.get("Vary", "")) if name.strip()]
        kept = [name for name in vary if name.strip().lower() != "accept-language"]
        if kept != vary:
            del response["Vary"]
            if kept:
                patch_vary_headers(response, kept)
        if response.has_header("Cache-Control"):
            del response["Cache-Control"]  # set per answer from the time left
        page = StoredPage(
            version=version,
            deadline=now + lifetime,
            status=response.status_code,
            headers=tuple(response.items()),
            content=response.content,
            on_hit=getattr(response, "page_cache_on_hit", None),
        )
        self._keep(key, page, lifetime)
        _public_headers(response, lifetime)
        return page

    def _from_page(self, request: HttpRequest, page: StoredPage, now: float) -> HttpResponseBase:
        if page.token_placeholder is not None:
            return self._token_page(request, page)
        response = page.response()
        _public_headers(response, page.deadline - now)
        if page.on_hit:
            function, kwargs = page.on_hit
            _function(function)(**kwargs)
        last_modified = (
            parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None
        )
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
