"""Page-weight budget: an article page's HTML plus the CSS and JS it loads, compressed, under 40 KB.

A size check, not a timing test: it follows the page's own <link rel=stylesheet> and
<script src> tags, so a new stylesheet or script added to base.html counts against the
budget as soon as it is referenced. Static files are read through the staticfiles finders
(as `collectstatic` would collect them) and compressed with gzip -9, as whitenoise does.
bench/page_weight.py prints the same figures per file.
"""

from __future__ import annotations

import gzip
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from faq.demo import demo_articles
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 40_000


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.urls.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"])


def _compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _asset_bytes(client, url: str) -> bytes:
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if url.startswith(static_prefix):
        path = finders.find(url.removeprefix(static_prefix))
        assert path, f"{url} is referenced by the page but no static finder has it"
        with open(path, "rb") as file:
            return file.read()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


@pytest.fixture
def long_article():
    """The longest demo article, with every brand, its tags, related articles and a translation."""
    demo = max(demo_articles(), key=lambda article: len(article.body))
    category = CategoryFactory(slug=demo.category)
    brands = [BrandFactory(slug=slug, name=slug.upper()) for slug in ("kdpay", "kdou", "okpay")]
    tags = [TagFactory(name=name) for name in demo.tags or ["密码", "安全"]]
    article = ArticleFactory(
        title=demo.title,
        summary=demo.summary,
        body=demo.body,
        category=category,
        language=demo.language,
        brands=brands,
        tags=tags,
    )
    for _ in range(6):
        ArticleFactory(category=category, tags=tags, language=demo.language)
    return article


def test_article_page_with_its_css_and_js_stays_under_40_kb_compressed(client, long_article):
    response = client.get(long_article.get_absolute_url())
    assert response.status_code == 200
    parser = _Assets()
    parser.feed(response.content.decode())
    sizes = {"HTML": _compressed(response.content)}
    sizes |= {url: _compressed(_asset_bytes(client, url)) for url in parser.urls}

    # The page really loads its stylesheets and scripts, so the budget covers them.
    assert any("css/site" in url for url in sizes)
    assert any("htmx" in url for url in sizes)
    assert any("brands.css" in url for url in sizes)
    total = sum(sizes.values())
    breakdown = ", ".join(f"{name}: {size:,}" for name, size in sizes.items())
    assert total < BUDGET_BYTES, f"{total:,} bytes compressed is over the budget ({breakdown})"
