"""Per-visitor notices ("your card number was masked") appear only on the page that caused them,
never on a page the page cache may keep and show to everyone (issue #8 item 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, ContactMessageFactory
from tests.helpers import card_number, en_url

pytestmark = pytest.mark.django_db

MASKED_NOTICE = "masked to their last four digits"
THANKS_NOTICE = "your information was added to the message"


@pytest.fixture
def message(db):
    return ContactMessageFactory(
        brand=BrandFactory(slug="kdpay"),
        reference="KD-7F3K-9Q2M",
        email="zhang@mail.example",
        status="waiting",
    )


def _follow_up_with_a_card_number(client, message) -> None:
    """Posted the way a browser that does not follow the redirect (or a second tab) leaves it."""
    client.post(en_url("contact:status_lookup"), {"reference": message.reference, "email": message.email})
    response = client.post(
        en_url("contact:status_followup", message.reference), {"body": f"卡号 {card_number()}"}
    )
    assert response.status_code == 302


def _cacheable_pages() -> dict[str, str]:
    """The pages the whole-page cache keeps (home, brand, category, article, search, sitemap, robots)."""
    article = ArticleFactory(category=CategoryFactory(slug="refunds"), slug="refund-time")
    article.brands.add(BrandFactory(slug="okpay"))
    return {
        "home": en_url("faq:home"),
        "brand": en_url("faq:brand_detail", brand_slug="okpay"),
        "category": en_url("faq:category_detail", category_slug="refunds"),
        "article": article.get_absolute_url(),
        "search": en_url("faq:search") + "?q=refund",
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots_txt"),
    }


def test_the_masked_card_notice_is_not_rendered_into_the_next_article_page(client, message):
    """Issue #8 item 10, as written."""
    _follow_up_with_a_card_number(client, message)
    article = ArticleFactory()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert MASKED_NOTICE not in page.content.decode()


@pytest.mark.parametrize("page_name", ["home", "brand", "category", "article", "search", "sitemap", "robots"])
def test_no_cacheable_page_shows_a_pending_notice_or_varies_on_the_cookie(client, message, page_name):
    _follow_up_with_a_card_number(client, message)
    response = client.get(_cacheable_pages()[page_name])
    assert response.status_code == 200
    body = response.content.decode()
    assert MASKED_NOTICE not in body and THANKS_NOTICE not in body
    assert "Cookie" not in response.get("Vary", "")


def test_the_notice_is_shown_on_the_status_page_that_caused_it_and_only_once(client, message):
    _follow_up_with_a_card_number(client, message)
    client.get(ArticleFactory().get_absolute_url())  # visiting a cached page does not use it up
    status_page = client.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert MASKED_NOTICE in status_page and THANKS_NOTICE in status_page
    again = client.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert MASKED_NOTICE not in again
