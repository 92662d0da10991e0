"""The read-only JSON API: schema, filters, errors and cache headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from faq.models import Article
from tests.factories import BrandFactory, CategoryFactory, make_article

pytestmark = pytest.mark.django_db


RESULT_KEYS = {"slug", "title", "url", "summary", "snippet", "category", "brands", "language", "score"}


@pytest.fixture
def refunds():
    category = CategoryFactory(slug="refunds", name="退款", name_en="Refunds")
    kdpay = BrandFactory(slug="kdpay", name="KDPAY")
    return [
        make_article(title="退款多久到账", slug="refund-timelines", category=category, is_featured=True,
                     body="申请退款后原路退回。"),
        make_article(title="KDPAY 退款规则", slug="kdpay-refund", category=category, brands=[kdpay]),
        make_article(title="How long does a refund take?", slug="refund-timelines", language="en",
                       category=category, summary="Refunds usually arrive in days.", body="Refund details."),
    ]  # fmt: skip


def test_search_returns_the_documented_schema(client, refunds):
    response = client.get(reverse("api:search"), {"q": "退款到账"})
    data = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(data) == {"query", "corrected_query", "total", "results", "answer"}
    assert data["query"] == "退款到账" and data["total"] >= len(data["results"]) >= 1
    first = data["results"][0]
    assert set(first) == RESULT_KEYS
    assert first["slug"] == "refund-timelines"
    assert first["url"] == "http://testserver/a/refund-timelines/"
    assert first["category"] == {"slug": "refunds", "name": "退款"}
    assert first["language"] == "zh-hans" and isinstance(first["score"], float)
    assert first["title"] == "退款多久到账"  # plain text: the snippet carries the highlighting
    assert first["snippet"] == "申请<mark>退款</mark>后原路退回。"


def test_search_is_best_first(client, refunds):
    scores = [
        result["score"] for result in client.get(reverse("api:search"), {"q": "退款"}).json()["results"]
    ]
    assert scores == sorted(scores, reverse=True)


def test_search_in_english(client, refunds):
    data = client.get(reverse("api:search"), {"q": "refunds", "lang": "en"}).json()
    assert [result["slug"] for result in data["results"]] == ["refund-timelines"]
    assert data["results"][0]["url"] == "http://testserver/en/a/refund-timelines/"
    assert data["results"][0]["category"]["name"] == "Refunds"


def test_search_filters_by_brand_category_and_limit(client, refunds):
    other = BrandFactory(slug="okpay", name="OKPay")
    make_article(title="OKPay 退款", slug="okpay-refund", brands=[other])
    by_brand = client.get(reverse("api:search"), {"q": "退款", "brand": "kdpay"}).json()
    assert {r["slug"] for r in by_brand["results"]} == {"refund-timelines", "kdpay-refund"}
    by_category = client.get(reverse("api:search"), {"q": "退款", "category": "refunds"}).json()
    assert "okpay-refund" not in {r["slug"] for r in by_category["results"]}
    limited = client.get(reverse("api:search"), {"q": "退款", "limit": 1}).json()
    everything = client.get(reverse("api:search"), {"q": "退款"}).json()
    assert len(limited["results"]) == 1
    # `total` counts every match, not just the ones this response returns.
    assert limited["total"] == everything["total"] == len(everything["results"]) > 1


def test_search_never_returns_drafts_or_scheduled_articles(client):
    make_article(title="退款草稿", slug="draft", status=Article.Status.DRAFT)
    make_article(title="退款预告", slug="soon", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(reverse("api:search"), {"q": "退款"}).json() == {
        "query": "退款",
        "corrected_query": None,
        "total": 0,
        "results": [],
        "answer": None,
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "q"),
        ({"q": "退"}, "q"),
        ({"q": "退款" * 1000}, "q"),
        ({"q": "退款", "lang": "fr"}, "lang"),
        ({"q": "退款", "limit": 0}, "limit"),
        ({"q": "退款", "limit": 51}, "limit"),
        ({"q": "退款", "limit": "ten"}, "limit"),
        ({"q": "退款", "brand": "nope"}, "brand"),
        ({"q": "退款", "category": "nope"}, "category"),
    ],
)
def test_bad_parameters_are_a_400_with_a_json_error(client, params, field):
    response = client.get(reverse("api:search"), params)
    assert response.status_code == 400
    data = response.json()
    assert data["error"] and field in data["fields"]


def test_search_can_be_cached_briefly(client, refunds):
    response = client.get(reverse("api:search"), {"q": "退款"})
    assert response["Cache-Control"].startswith("public,") and "s-maxage=10" in response["Cache-Control"]


def test_article_detail(client, refunds):
    response = client.get(reverse("api:article_detail", args=["refund-timelines"]))
    data = response.json()
    assert response.status_code == 200
    assert set(data) == {
        "slug",
        "title",
        "summary",
        "html",
        "url",
        "category",
        "brands",
        "language",
        "updated_at",
    }
    assert data["title"] == "退款多久到账" and data["html"].startswith("<")
    assert response["Cache-Control"].startswith("public,") and "s-maxage=10" in response["Cache-Control"]
    english = client.get(reverse("api:article_detail", args=["refund-timelines"]), {"lang": "en"}).json()
    assert english["title"] == "How long does a refund take?"


def test_article_detail_404_is_json(client):
    make_article(title="草稿", slug="draft", status=Article.Status.DRAFT)
    for slug in ["missing", "draft"]:
        response = client.get(reverse("api:article_detail", args=[slug]))
        assert response.status_code == 404 and response.json()["error"]


def test_api_is_read_only(client, refunds):
    assert client.post(reverse("api:search"), {"q": "退款"}).status_code == 405
