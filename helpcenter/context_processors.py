from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language


def _language_links(request: HttpRequest) -> list[dict]:
    """Each language's address of the current page, so switching keeps the reader in place."""
    path = request.path
    query = request.META.get("QUERY_STRING", "")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
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
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
    }
