"""A query with a sound-alike typo is searched as corrected, and says so: on the results page,
in the instant dropdown and in the API (`corrected_query`), with a way back to what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_article():
    return ArticleFactory(
        slug="forgot", title="忘记密码怎么办", summary="重置登录密码。", body="点击忘记密码。"
    )


def test_results_page_shows_the_correction_and_links_to_what_was_typed(client, password_article):
    response = client.get(reverse("faq:search"), {"q": "忘记蜜码"})
    html = response.content.decode()
    assert [article.slug for article in response.context["page"]] == ["forgot"]
    assert "正在显示" in html
    assert 'href="/search/?q=%E5%BF%98%E8%AE%B0%E8%9C%9C%E7%A0%81&amp;as_typed=1"' in html  # 忘记蜜码


def test_search_instead_for_what_was_typed_searches_it_uncorrected(client, password_article):
    response = client.get(reverse("faq:search"), {"q": "忘记蜜码", "as_typed": "1"})
    assert "正在显示" not in response.content.decode()
    assert response.context["corrected_query"] is None


def test_english_page_says_showing_results_for(client):
    ArticleFactory(
        slug="forgot", language="en", title="Forgot password (忘记密码)", summary="Reset it.", body="Tap."
    )
    response = client.get("/en/search/", {"q": "忘记蜜码"})
    assert "Showing results for" in response.content.decode()


def test_instant_dropdown_shows_the_correction(client, password_article):
    response = client.get(reverse("faq:search_instant"), {"q": "忘记蜜码"})
    html = response.content.decode()
    assert "正在显示" in html
    assert "/a/forgot/" in html


def test_api_returns_the_corrected_query(client, password_article):
    data = client.get(reverse("api:search"), {"q": "忘记蜜码"}).json()
    assert data["corrected_query"] == "忘记密码"
    assert [result["slug"] for result in data["results"]] == ["forgot"]


def test_api_corrected_query_is_null_when_nothing_was_corrected(client, password_article):
    assert client.get(reverse("api:search"), {"q": "忘记密码"}).json()["corrected_query"] is None
    assert (
        client.get(reverse("api:search"), {"q": "忘记蜜码", "as_typed": "1"}).json()["corrected_query"]
        is None
    )


def test_a_correction_that_finds_nothing_is_not_applied(client):
    ArticleFactory(slug="other", title="境外消费", summary="汇率。", body="说明。")
    data = client.get(reverse("api:search"), {"q": "忘记蜜码"}).json()
    assert data["corrected_query"] is None
