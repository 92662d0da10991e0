"""Site-wide pages that belong to no app: robots.txt and the error pages."""

from __future__ import annotations

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
    # The error page must not depend on the database or on context processors that
    # might be what failed; it renders from the template alone, in the active language.
    try:
        html = loader.get_template("500.html").render({"request_path": request.path})
    except Exception:  # noqa: BLE001 - last resort: never let the 500 page raise
        html = "<!doctype html><title>Error</title><h1>Server error · 服务器错误</h1>"
    return HttpResponse(html, status=500)
