from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from faq.models import ArticleFeedback
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def knowledge_base():
    kdpay = BrandFactory(name="KDPAY", slug="kdpay")
    BrandFactory(name="OKPay", slug="okpay")
    refunds = CategoryFactory(slug="refunds", name="退款", name_en="Refunds", icon="↩️")
    tag = TagFactory(name="退款")
    original = ArticleFactory(
        slug="refund-timelines",
        title="退款多久到账",
        summary="不同支付方式的退款到账时间。",
        body="## 余额\n\n即时到账。\n\n## 银行卡\n\n1–7 个工作日。\n\n## 信用卡\n\n以银行为准。",
        category=refunds,
        brands=[kdpay],
        tags=[tag],
    )
    ArticleFactory(
        slug="refund-timelines",
        language="en",
        title="How long refunds take",
        category=refunds,
        original=original,
    )
    ArticleFactory(slug="request-refund", title="如何申请退款", category=refunds, tags=[tag])
    return original


def test_reader_browses_to_an_article_votes_and_switches_language(page: Page, live_server, knowledge_base):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("有什么可以帮您？")
    page.get_by_role("link", name="KDPAY").first.click()
    expect(page).to_have_url(live_server.url + "/b/kdpay/")
    page.get_by_role("link", name="退款").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("退款")
    page.get_by_role("link", name="退款多久到账").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("退款多久到账")
    expect(page.get_by_role("navigation", name="本页目录")).to_be_visible()

    # The vote block arrives by htmx; "No" asks what was missing.
    page.get_by_role("button", name="没有帮助").click()
    page.get_by_label("哪里缺少信息或不清楚？").fill("没有写周末是否到账")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_text("您的意见会帮助我们改进这篇文章")).to_be_visible()
    feedback = ArticleFeedback.objects.get()
    assert (feedback.is_helpful, feedback.comment) == (False, "没有写周末是否到账")

    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/a/refund-timelines/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How long refunds take")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(live_server.url + "/a/refund-timelines/")


def test_vote_works_without_javascript(browser, live_server, knowledge_base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + knowledge_base.get_absolute_url())
    page.get_by_role("link", name="评价这篇文章").click()
    page.get_by_role("button", name="有帮助", exact=False).first.click()
    expect(page.get_by_text("感谢您的反馈")).to_be_visible()
    knowledge_base.refresh_from_db()
    assert knowledge_base.helpful_count == 1
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_pages_fit_a_phone_screen(browser, live_server, knowledge_base, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ["/", "/c/refunds/", knowledge_base.get_absolute_url(), "/search/?q=退款"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    context.close()
