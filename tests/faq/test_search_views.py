"""The search page, instant results, click-through and contact suggestions, through the client."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faq.models import SearchQueryLog
from tests.factories import BrandFactory, CategoryFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return [
        make_article(
            title="忘记登录密码怎么办", slug="forgot", summary="", body="点击“忘记密码”，按提示<确定>。"
        ),
        make_article(title="如何申请退款", slug="refund", summary="", body="在订单页申请退款。"),
    ]


def test_results_page_shows_highlighted_escaped_snippets(client, articles):
    response = client.get(reverse("faq:search"), {"q": "忘記密碼"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>忘记</mark>" in html and "<mark>密码</mark>" in html
    assert "&lt;确定&gt;" in html and "<确定>" not in html
    assert "如何申请退款" not in html


def test_empty_query_gets_a_hint_and_popular_articles_not_an_error(client):
    make_article(title="最常看的文章", slug="popular", view_count=100)
    response = client.get(reverse("faq:search"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "忘记密码" in html  # the example in the hint, in Chinese by default
    assert 'href="/a/popular/"' in html


def test_one_character_query_asks_for_more(client, articles):
    response = client.get(reverse("faq:search"), {"q": "退"})
    assert response.status_code == 200
    assert response.context["state"] == "too-short"
    assert not SearchQueryLog.objects.exists()


def test_very_long_query_is_a_clear_400(client):
    response = client.get(reverse("faq:search"), {"q": "退款" * 1000})
    assert response.status_code == 400
    assert "200" in response.content.decode()  # "shorten your question to 200 characters"


def test_unknown_brand_is_a_400(client):
    assert client.get(reverse("faq:search"), {"q": "退款", "brand": "nope"}).status_code == 400


def test_htmx_request_gets_only_the_results_fragment(client, articles):
    response = client.get(reverse("faq:search"), {"q": "退款"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html and "/a/refund/" in html


def test_results_are_paginated(client):
    for number in range(25):
        make_article(title=f"提现问题{number}", slug=f"w{number}")
    first = client.get(reverse("faq:search"), {"q": "提现"})
    second = client.get(reverse("faq:search"), {"q": "提现", "page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "q=%E6%8F%90%E7%8E%B0&amp;page=2" in first.content.decode()


def test_search_is_logged_without_personal_data(client, articles):
    client.get(reverse("faq:search"), {"q": "退款 13800138000 me@example.com"})
    client.get(reverse("faq:search"), {"q": "没有这种文章"})
    logs = {log.query: log for log in SearchQueryLog.objects.all()}
    assert set(logs) == {"退款 [number] [email]", "没有这种文章"}
    assert logs["没有这种文章"].result_count == 0
    assert logs["退款 [number] [email]"].result_count == 1
    assert not any(log.clicked for log in logs.values())


def test_opening_a_result_records_the_click(client, articles):
    response = client.get(reverse("faq:search"), {"q": "退款"})
    link = response.context["page"].object_list[0]
    opened = client.get(reverse("faq:search_click", args=[link.click_token]))
    assert opened.status_code == 302 and opened["Location"] == "/a/refund/"
    assert SearchQueryLog.objects.get().clicked


def test_a_forged_click_link_changes_nothing(client, articles):
    client.get(reverse("faq:search"), {"q": "退款"})
    response = client.get(reverse("faq:search_click", args=["forged:token"]))
    assert response.status_code == 302 and response["Location"] == reverse("faq:search")
    assert not SearchQueryLog.objects.get().clicked


def test_instant_results_fragment(client, articles):
    response = client.get(reverse("faq:search_instant"), {"q": "退款"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'href="/a/refund/"' in html and "<mark>退款</mark>" in html
    assert response["Cache-Control"].startswith("public,") and "s-maxage=10" in response["Cache-Control"]
    assert not SearchQueryLog.objects.exists()


def test_instant_results_are_empty_for_one_character(client, articles):
    response = client.get(reverse("faq:search_instant"), {"q": "退"})
    assert response.status_code == 200 and response.content.decode().strip() == ""


def test_header_and_home_boxes_ask_for_instant_results(client):
    html = client.get(reverse("faq:home")).content.decode()
    assert html.count(f'hx-get="{reverse("faq:search_instant")}"') == 2
    assert 'hx-sync="this:replace"' in html and "js/search.js" in html


def test_suggestions_show_up_to_three_articles(client):
    for number in range(5):
        make_article(title=f"退款问题{number}", slug=f"r{number}")
    response = client.get(
        reverse("faq:suggestions"), {"subject": "退款还没到", "message": "我上周申请了退款"}
    )
    assert response.status_code == 200
    assert response.content.decode().count('href="/a/r') == 3


def test_suggestions_follow_the_brand(client):
    kdpay, okpay = BrandFactory(slug="kdpay", name="KDPAY"), BrandFactory(slug="okpay", name="OKPay")
    make_article(title="退款规则", slug="okpay-refund", brands=[okpay])
    make_article(title="退款规则", slug="kdpay-refund", brands=[kdpay])
    html = client.get(reverse("faq:suggestions"), {"q": "退款", "brand": "kdpay"}).content.decode()
    assert "kdpay-refund" in html and "okpay-refund" not in html


def test_suggestions_stay_within_the_chosen_topic(client):
    refunds, withdrawals = CategoryFactory(slug="refunds"), CategoryFactory(slug="withdrawals")
    make_article(title="到账时间", slug="refund-timing", category=refunds)
    make_article(title="到账时间", slug="withdrawal-timing", category=withdrawals)
    html = client.get(
        reverse("faq:suggestions"), {"subject": "还没到账", "topic": "withdrawals"}
    ).content.decode()
    assert "withdrawal-timing" in html and "refund-timing" not in html
    # "Something else" is no category: it does not narrow the suggestions.
    html = client.get(reverse("faq:suggestions"), {"subject": "还没到账", "topic": "other"}).content.decode()
    assert "withdrawal-timing" in html and "refund-timing" in html


def test_no_suggestions_for_nothing_typed(client, articles):
    response = client.get(reverse("faq:suggestions"), {"subject": "", "message": ""})
    assert response.status_code == 200 and response.content.decode().strip() == ""


def test_results_page_queries_do_not_grow_with_results(client):
    def queries_for(count: int) -> int:
        for number in range(count):
            make_article(title=f"提现问题{count}-{number}", slug=f"w{count}-{number}")
        # Synonyms and the next scheduled instant are read once per content version (which
        # the new articles moved), then cached.
        client.get(reverse("faq:search"), {"q": "预热"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("faq:search"), {"q": "提现问题"}).status_code == 200
        return len(captured)

    # Word counts for their rarity, search passes (for two words, the three pooled ones always),
    # count, one page of articles, their brands, the log row (on PostgreSQL the body pass adds a
    # savepoint and its time limit).
    assert queries_for(20) == queries_for(60) <= 12


def test_contact_form_asks_for_suggestions_while_typing(client):
    BrandFactory(slug="kdpay", name="KDPAY")
    html = client.get(reverse("contact:message_create"), {"brand": "kdpay"}).content.decode()
    assert f'hx-get="{reverse("faq:suggestions")}"' in html
    assert "from:#id_subject" in html and "from:#id_message" in html
    for field_id in ("id_brand", "id_subject", "id_message"):
        assert f'id="{field_id}"' in html


def test_english_search_page_and_instant_results(client):
    make_article(title="How long do refunds take?", slug="refund-timelines", language="en")
    make_article(title="退款多久到账", slug="refund-timelines")
    response = client.get("/en/search/", {"q": "refund"})
    assert [a.slug for a in response.context["page"]] == ["refund-timelines"]
    assert "<mark>refunds</mark>" in response.content.decode()
    assert 'hx-get="/en/search/instant/"' in response.content.decode()
    instant = client.get("/en/search/instant/", {"q": "refunds"}).content.decode()
    assert 'href="/en/a/refund-timelines/"' in instant
