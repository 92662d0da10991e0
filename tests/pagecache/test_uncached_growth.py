"""The first request after a content change asks the database as many questions at any size.

Each page is requested right after the article it shows (or any article) was saved, so the
content version moved and every cache is cold; its queries are counted with a small
knowledge base and again after it grew several times over. A page that read per article
(a count, a per-row lookup, a list of every article) would ask more the second time.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contact.models import Channel
from faq.models import Article
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    CategoryFactory,
    ChannelFactory,
    OpeningHoursFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

SMALL, GROWN = 12, 90


def _add_articles(count: int, *, first: int, brands, categories, tags) -> None:
    for n in range(first, first + count):
        ArticleFactory(
            slug=f"grown-{n}",
            category=categories[n % len(categories)],
            # Most articles apply to every brand; some name one, as in the demo content.
            brands=[brands[n % len(brands)]] if n % 4 == 0 else [],
            tags=[tags[n % len(tags)], tags[(n + 1) % len(tags)]],
            view_count=(n * 37) % 500,
            is_featured=n % 15 == 0,
            featured_order=n,
        )


def _cold_query_counts(client, pages: dict[str, str], shown: Article) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        shown.save()  # the content version moves and the shown article's own caches go stale
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def test_each_pages_first_request_after_a_change_asks_as_many_queries_with_more_articles(client):
    brands = [BrandFactory(slug="kdpay", name="KDPay"), BrandFactory(slug="okpay", name="OKPay")]
    categories = [CategoryFactory(slug=f"category-{n}") for n in range(3)]
    tags = [TagFactory(name=f"标签{n}") for n in range(4)]
    hotline = ChannelFactory(
        brand=brands[0], kind=Channel.Kind.HOTLINE, label="客服热线", value="400 000 0101"
    )
    for weekday in range(7):
        OpeningHoursFactory(channel=hotline, weekday=weekday, opens_at="09:00", closes_at="18:00")
    ChannelFactory(brand=brands[0])
    _add_articles(SMALL, first=0, brands=brands, categories=categories, tags=tags)
    shown = Article.objects.get(slug="grown-1")
    pages = {
        "article": shown.get_absolute_url(),
        "home": "/",
        "home (English)": "/en/",
        "brand": "/b/kdpay/",
        "category": categories[0].get_absolute_url(),
        "category for a brand": f"{categories[0].get_absolute_url()}?brand=kdpay",
        "contact brand page": "/contact/kdpay/",
        "contact overview": "/contact/",
        "contact form": "/contact/message/",
        "sitemap index": "/sitemap.xml",
        "article sitemap": "/sitemap-articles.xml",
    }
    small = _cold_query_counts(client, pages, shown)

    _add_articles(GROWN - SMALL, first=SMALL, brands=brands, categories=categories, tags=tags)
    assert Article.objects.count() == GROWN

    assert _cold_query_counts(client, pages, shown) == small


def test_an_editors_save_asks_as_many_queries_with_more_articles():
    """The writer's work after a save (counts for the new version) reads grouped counts, not rows."""
    brands = [BrandFactory(slug="kdpay", name="KDPay")]
    categories = [CategoryFactory(slug=f"category-{n}") for n in range(3)]
    tags = [TagFactory(name="标签")]
    _add_articles(SMALL, first=0, brands=brands, categories=categories, tags=tags)
    article = Article.objects.get(slug="grown-1")

    def save_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            article.save()
        return len(captured.captured_queries)

    small = save_queries()
    _add_articles(GROWN - SMALL, first=SMALL, brands=brands, categories=categories, tags=tags)
    assert save_queries() == small
