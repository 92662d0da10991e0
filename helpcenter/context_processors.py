from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, override

from .request import site_origin


def _page_in(request: HttpRequest, code: str) -> str:
    """The current page's path in language `code`, rebuilt by reverse() from the resolved view.

    Never from the request path itself: "//evil.example/" or "/\\evil.example/" would be an
    off-site link (translate_url keeps whatever urlsplit reads as a host). A path that
    resolves to no page gets that language's home page.
    """
    try:
        match = resolve(request.path_info)
        with override(code):
            return reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs)
    except (Resolver404, NoReverseMatch):
        with override(code):
            return reverse("faq:home")


def _language_links(request: HttpRequest) -> list[dict]:
    """Each language's address of the current page, so switching keeps the reader in place."""
    query = request.META.get("QUERY_STRING", "")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = _page_in(request, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if query else url,
                "is_current": code == current,
            }
        )
    return links


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        # Canonical and hreflang links: the public origin, not whatever Host the request carried.
        "site_origin": SimpleLazyObject(lambda: site_origin(request)),
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
    }
