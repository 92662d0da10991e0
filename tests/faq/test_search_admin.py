"""Admin: synonyms staff maintain, and the search reports editors plan articles from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from faq.models import Article, SearchQueryLog
from tests.factories import make_article

# Reports count in calendar days: a midnight must not pass between logging and reporting.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def log(query: str, results: int, *, days_ago: int = 0, clicked: bool = False, language: str = "zh-hans"):
    return SearchQueryLog.objects.create(
        query=query,
        language=language,
        result_count=results,
        clicked=clicked,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_synonym_added_in_the_admin_widens_searches_at_once(admin_client):
    make_article(title="账户被冻结怎么办", slug="frozen", body="联系客服。")
    assert [a.slug for a in Article.objects.published().search("锁定")] == []
    response = admin_client.post(reverse("admin:faq_synonym_add"), {"words": "冻结, 锁定"})
    assert response.status_code == 302
    assert [a.slug for a in Article.objects.published().search("锁定")] == ["frozen"]


def test_deleting_a_synonym_takes_effect_at_once(admin_client):
    make_article(title="提现失败", slug="withdrawal")
    admin_client.post(reverse("admin:faq_synonym_add"), {"words": "提现，出金"})
    assert [a.slug for a in Article.objects.published().search("出金")] == ["withdrawal"]
    synonym_id = admin_client.get(reverse("admin:faq_synonym_changelist")).context["cl"].result_list[0].pk
    admin_client.post(reverse("admin:faq_synonym_delete", args=[synonym_id]), {"post": "yes"})
    assert [a.slug for a in Article.objects.published().search("出金")] == []


def test_report_lists_top_and_zero_result_queries_of_the_period(admin_client):
    for _ in range(3):
        log("退款", 5, clicked=True)
    log("退款", 5)
    log("开发票", 0)
    log("开发票", 0, days_ago=1)
    log("数字人民币", 0, days_ago=60)  # outside the default 30 days
    response = admin_client.get(reverse("admin:faq_searchquerylog_report"))
    assert response.status_code == 200
    top = list(response.context["top_queries"])
    assert (top[0]["query"], top[0]["searches"], top[0]["clicks"]) == ("退款", 4, 3)
    zero = [(row["query"], row["searches"]) for row in response.context["zero_result_queries"]]
    assert zero == [("开发票", 2)]
    html = response.content.decode()
    assert "开发票" in html and "数字人民币" not in html


def test_report_for_a_chosen_period_and_language(admin_client):
    log("数字人民币", 0, days_ago=60)
    log("refund status", 0, days_ago=60, language="en")
    start = (timezone.localdate() - timedelta(days=61)).isoformat()
    end = (timezone.localdate() - timedelta(days=59)).isoformat()
    response = admin_client.get(
        reverse("admin:faq_searchquerylog_report"), {"start": start, "end": end, "language": "en"}
    )
    assert [row["query"] for row in response.context["zero_result_queries"]] == ["refund status"]


def test_report_rejects_a_backwards_period(admin_client):
    response = admin_client.get(
        reverse("admin:faq_searchquerylog_report"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期。" in response.content.decode()


def test_report_needs_staff(client):
    response = client.get(reverse("admin:faq_searchquerylog_report"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_search_log_is_read_only_in_the_admin(admin_client):
    entry = log("退款", 1)
    assert admin_client.get(reverse("admin:faq_searchquerylog_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:faq_searchquerylog_add")).status_code == 403
    response = admin_client.post(reverse("admin:faq_searchquerylog_change", args=[entry.pk]), {"query": "x"})
    assert response.status_code == 403
    assert SearchQueryLog.objects.get().query == "退款"
