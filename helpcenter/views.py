"""Site-wide pages that belong to no app: robots.txt and the error pages."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET

from pagecache.middleware import public_page

from .api_errors import api_error, is_api_request
from .request import absolute_url
from .request_log import current_request_id


@public_page
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "Disallow: /contact/status/",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"request_id": current_request_id()}, status=404)


def _error_page(template: str, status: int, fallback: str) -> HttpResponse:
    """An error page from its template alone (error_base.html: no database, no context processors)."""
    try:
        html = loader.get_template(template).render({"request_id": current_request_id()})
    except Exception:  # noqa: BLE001 - last resort: never let an error page raise
        html = fallback
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a disallowed host, a malformed request. Rendered without the request, whose
    host may be the very thing that is wrong."""
    if is_api_request(request):
        return api_error(request, 400)
    return _error_page("400.html", 400, "<!doctype html><title>400</title><h1>Bad request · 请求无效</h1>")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open past its session, or cookies blocked."""
    if is_api_request(request):
        return api_error(request, 403)
    return _error_page(
        "403_csrf.html", 403, "<!doctype html><title>403</title><h1>Security check failed · 安全校验失败</h1>"
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # A database outage that surfaced outside a view (e.g. while a middleware saved the
    # session) gets the same 503 as one inside a view (helpcenter.middleware).
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if is_api_request(request):
        return api_error(request, 500)
    # The error page must not depend on the database or on context processors that
    # might be what failed; it renders from the template alone, in the active language.
    try:
        html = loader.get_template("500.html").render(
            {"request_path": request.path, "request_id": current_request_id()}
        )
    except Exception:  # noqa: BLE001 - last resort: never let the 500 page raise
        html = "<!doctype html><title>Error</title><h1>Server error · 服务器错误</h1>"
    return HttpResponse(html, status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page for a database outage, rendered from the template alone (no queries)."""
    if is_api_request(request):
        response = api_error(request, 503)
    else:
        try:
            html = loader.get_template("503.html").render(
                {"request_path": request.path, "request_id": current_request_id()}
            )
        except Exception:  # noqa: BLE001 - last resort: never let the 503 page raise
            html = "<!doctype html><title>503</title><h1>Temporarily unavailable · 暂时无法访问</h1>"
        response = HttpResponse(html, status=503)
    # Browsers and proxies must not keep the outage page; clients may retry shortly.
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The one 429 page (RATELIMIT_VIEW): what helpcenter.ratelimits.rate_limit answers over a limit."""
    response = render(request, "429.html", {"request_id": current_request_id()}, status=429)
    response["Retry-After"] = "60"
    return response
