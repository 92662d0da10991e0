"""Structured data (schema.org JSON-LD) for search engines."""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from helpcenter.request import absolute_url

from .models import Article

# As django.utils.html.json_script: these characters cannot end the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))


def article_structured_data(article: Article, request: HttpRequest) -> SafeString:
    """An Article and its BreadcrumbList, as one JSON-LD @graph."""
    url = absolute_url(article.get_absolute_url(), request)
    breadcrumbs = [
        (_("Help Center"), absolute_url(reverse("faq:home"), request)),
        (article.category.localized_name, absolute_url(article.category.get_absolute_url(), request)),
        (article.title, url),
    ]
    graph = [
        {
            "@type": "Article",
            "@id": f"{url}#article",
            "headline": article.title[:110],
            "description": article.summary,
            "inLanguage": "zh-Hans" if article.language == "zh-hans" else "en",
            "datePublished": article.published_at.isoformat(),
            "dateModified": article.content_updated_at.isoformat(),
            "mainEntityOfPage": url,
            "articleSection": article.category.localized_name,
            "keywords": ", ".join(tag.name for tag in article.tags.all()),
            "author": {"@type": "Organization", "name": str(_("Wallet Help Center"))},
            "publisher": {"@type": "Organization", "name": str(_("Wallet Help Center"))},
        },
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": item_url}
                for position, (name, item_url) in enumerate(breadcrumbs, start=1)
            ],
        },
    ]
    return json_ld({"@context": "https://schema.org", "@graph": graph})
