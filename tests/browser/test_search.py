"""Instant search in a real browser: type, see results as you type, open one with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ArticleFactory, BrandFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def articles():
    refunds = CategoryFactory(slug="refunds", name="退款", name_en="Refunds")
    ArticleFactory(
        slug="refund-timelines", title="退款多久到账", summary="各种方式的到账时间。", category=refunds
    )
    ArticleFactory(slug="request-refund", title="如何申请退款", summary="在订单页申请。", category=refunds)
    ArticleFactory(slug="forgot-password", title="忘记登录密码怎么办", summary="重置密码。", category=refunds)


def test_instant_results_open_with_the_keyboard(page: Page, live_server, articles):
    page.goto(live_server.url + "/")
    box = page.locator("#home-q")
    box.press_sequentially("退款到帳", delay=40)  # Traditional 帳 still finds 到账
    results = page.locator("#home-q-results")
    # The list of results (a direct answer from the same article may open above it).
    expect(
        results.locator(".instant-results__list").get_by_role("link", name=re.compile("退款多久到账"))
    ).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("忘记登录密码"))).to_have_count(0)
    expect(results.locator("mark").first).to_be_visible()

    box.press("ArrowDown")
    expect(results.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/a/refund-timelines/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("退款多久到账")


def test_arrow_keys_move_between_results_and_escape_closes_them(page: Page, live_server, articles):
    # The header's box is on inner pages; the home page has its own big one instead.
    page.goto(live_server.url + "/c/refunds/")
    box = page.locator("#header-q")
    box.press_sequentially("退款", delay=40)
    links = page.locator("#header-q-results").get_by_role("link")
    expect(links).to_have_count(3)  # two articles and "see all results"
    box.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    box.press("Escape")
    expect(links).to_have_count(0)


def test_enter_opens_the_full_results_page(page: Page, live_server, articles):
    page.goto(live_server.url + "/")
    page.locator("#home-q").fill("忘记密码")
    page.locator("#home-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("#results .search-results")
    expect(results.get_by_role("link", name=re.compile("忘记登录密码"))).to_be_visible()


def test_contact_form_suggests_articles_while_typing(page: Page, live_server, articles):
    BrandFactory(name="KDPAY", slug="kdpay")
    page.goto(live_server.url + "/contact/message/?brand=kdpay")
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("link")).to_have_count(0)
    page.locator("#id_subject").press_sequentially("退款什么时候到账", delay=30)
    expect(suggestions.get_by_role("link", name=re.compile("退款多久到账"))).to_be_visible()
    expect(suggestions.get_by_role("link", name=re.compile("忘记登录密码"))).to_have_count(0)
