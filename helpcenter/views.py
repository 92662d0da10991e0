"""Site-wide pages that belong to no app: robots.txt and the error pages."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "Disallow: /contact/status/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database outage that surfaced outside a view (e.g. while a middleware saved the
    # session) gets the same 503 as one inside a view (helpcenter.middleware).
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    # The error page must not depend on the database or on context processors that
    # might be what failed; it renders from the template alone, in the active language.
    try:
        html = loader.get_template("500.html").render({"request_path": request.path})
    except Exception:  # noqa: BLE001 - last resort: never let the 500 page raise
        html = "<!doctype html><title>Error</title><h1>Server error · 服务器错误</h1>"
    return HttpResponse(html, status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page for a database outage, rendered from the template alone (no queries)."""
    try:
        html = loader.get_template("503.html").render({"request_path": request.path})
    except Exception:  # noqa: BLE001 - last resort: never let the 503 page raise
        html = "<!doctype html><title>503</title><h1>Temporarily unavailable · 暂时无法访问</h1>"
    response = HttpResponse(html, status=503)
    # Browsers and proxies must not keep the outage page; clients may retry shortly.
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What django-ratelimit answers (RATELIMIT_VIEW) when a client posts too often."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
