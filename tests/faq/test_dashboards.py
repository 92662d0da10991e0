"""The knowledge base's dashboards: what people searched for and did not find (or did not open),
searches per day, and the articles readers rate worst, for a period, brand and language."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from faq.dashboard import no_result_queries, searches_per_day, unopened_queries
from faq.dashboard_ratings import (
    least_helpful_articles,
    most_commented_articles,
    votes_per_day,
    wilson_lower_bound,
)
from faq.models import ArticleFeedback, SearchQueryLog
from faq.search_log import search_query_record
from helpcenter.dashboards import Period
from tests.factories import ArticleFactory, ArticleFeedbackFactory, BrandFactory

pytestmark = pytest.mark.django_db

# 2026-12-01 10:00 in Shanghai; the dashboards' days are Shanghai days.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
LAST_7_DAYS = Period(first_day=TODAY - timedelta(days=6), last_day=TODAY)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def searched(query, *, results=0, language="zh-hans", brand=None, at=None, opened=False):
    """A search as the site logs it (normalised on the way in), `at` a time or now."""
    log = search_query_record(query=query, language=language, brand=brand, result_count=results)
    SearchQueryLog.objects.filter(pk=log.pk).update(created_at=at or NOW, clicked=opened)
    return log


def voted(article, *, helpful, comment="", at=None):
    feedback = ArticleFeedbackFactory(article=article, is_helpful=helpful, comment=comment)
    if at is not None:
        ArticleFeedback.objects.filter(pk=feedback.pk).update(created_at=at)
    return feedback


# Searches that found nothing


def test_no_result_searches_are_counted_per_normalised_query():
    # Full width, capitals, Traditional characters and extra spaces are the same question.
    for typed in ("綁定 銀行卡", "绑定  银行卡", "ＲＥＦＵＮＤ", "refund", "Refund "):
        searched(typed)
    searched("退款", results=3)  # found something: not here
    rows = no_result_queries(LAST_7_DAYS)
    assert [(row.query, row.searches) for row in rows] == [("refund", 3), ("绑定 银行卡", 2)]


def test_no_result_searches_show_when_they_were_last_seen():
    searched("改手机号", at=NOW - timedelta(days=3))
    searched("改手机号", at=NOW - timedelta(hours=5))
    [row] = no_result_queries(LAST_7_DAYS)
    assert row.last_seen == NOW - timedelta(hours=5)


def test_no_result_searches_outside_the_period_language_or_brand_are_left_out():
    kdpay, other = BrandFactory(slug="kdpay"), BrandFactory(slug="other")
    searched("旧问题", at=NOW - timedelta(days=8))
    searched("english question", language="en", brand=kdpay)
    searched("别的钱包", brand=other)
    searched("开通", brand=kdpay)
    period = Period(first_day=LAST_7_DAYS.first_day, last_day=TODAY, brand=kdpay)
    assert [row.query for row in no_result_queries(period, "zh-hans")] == ["开通"]


def test_a_query_searched_from_one_brand_only_names_that_brand():
    kdpay, other = BrandFactory(slug="kdpay"), BrandFactory(slug="other")
    searched("只在一个钱包", brand=kdpay)
    searched("只在一个钱包", brand=kdpay)
    searched("两个钱包", brand=kdpay)
    searched("两个钱包", brand=other)
    searched("有时没有钱包", brand=kdpay)
    searched("有时没有钱包")
    brands = {row.query: row.brand_id for row in no_result_queries(LAST_7_DAYS)}
    assert brands == {"只在一个钱包": kdpay.pk, "两个钱包": None, "有时没有钱包": None}


def test_only_the_top_twenty_no_result_searches_are_listed_most_searched_first():
    for n in range(25):
        for _ in range(n + 1):
            searched(f"问题{n}")
    rows = no_result_queries(LAST_7_DAYS)
    assert [row.query for row in rows] == [f"问题{n}" for n in range(24, 4, -1)]


# Searches whose results nobody opened


def test_unopened_searches_are_those_that_found_something_no_one_opened():
    for _ in range(3):
        searched("手续费", results=4)
    searched("限额", results=2)
    searched("限额", results=2, opened=True)  # one opened a result: not here
    searched("没有结果")  # found nothing: in the other table
    rows = unopened_queries(LAST_7_DAYS)
    assert [(row.query, row.searches, row.average_results) for row in rows] == [("手续费", 3, 4.0)]


# Searches per day


def test_searches_per_day_count_total_no_result_and_opened_by_local_day():
    searched("a", results=0)
    searched("b", results=2, opened=True)
    searched("c", results=2)
    # 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    searched("d", results=1, opened=True, at=datetime(2026, 11, 30, 17, 0, tzinfo=UTC))
    searched("e", results=0, at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    rows = searches_per_day(LAST_7_DAYS)
    assert len(rows) == 7
    assert [(r.day, r.total, r.no_result, r.opened) for r in rows[-2:]] == [
        (date(2026, 11, 30), 1, 1, 0),
        (TODAY, 4, 1, 2),
    ]
    assert rows[0].total == 0


# Articles readers rate worst


def test_the_wilson_bound_trusts_many_votes_more_than_one():
    assert wilson_lower_bound(8, 10) > wilson_lower_bound(1, 1)
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(5, 5) == pytest.approx(0.5655, abs=1e-4)


def test_least_helpful_articles_need_enough_votes_and_rank_surest_first():
    one_no = ArticleFactory(title="只有一票")
    voted(one_no, helpful=False)
    mostly_no = ArticleFactory(title="多数没用")
    for helpful in [False] * 8 + [True] * 2:
        voted(mostly_no, helpful=helpful)
    half = ArticleFactory(title="一半一半")
    for helpful in [False] * 3 + [True] * 3:
        voted(half, helpful=helpful)
    rows = least_helpful_articles(LAST_7_DAYS)
    assert [(r.title, r.votes, r.helpful, r.not_helpful) for r in rows] == [
        ("多数没用", 10, 2, 8),
        ("一半一半", 6, 3, 3),
    ]
    assert rows[0].helpful_ratio == pytest.approx(0.2)
    assert rows[0].not_helpful_bound == pytest.approx(wilson_lower_bound(8, 10))


def test_least_helpful_articles_count_only_the_periods_votes_of_the_brand():
    kdpay = BrandFactory(slug="kdpay")
    for_kdpay = ArticleFactory(title="钱包专用", brands=[kdpay])
    for_everyone = ArticleFactory(title="通用")
    for_other = ArticleFactory(title="别的钱包", brands=[BrandFactory(slug="other")])
    for article in (for_kdpay, for_everyone, for_other):
        for _ in range(5):
            voted(article, helpful=False)
    for _ in range(5):
        voted(for_kdpay, helpful=True, at=NOW - timedelta(days=10))  # before the period
    period = Period(first_day=LAST_7_DAYS.first_day, last_day=TODAY, brand=kdpay)
    rows = least_helpful_articles(period)
    assert sorted((r.title, r.votes) for r in rows) == [("通用", 5), ("钱包专用", 5)]


def test_most_commented_articles_count_not_helpful_comments_and_show_the_latest():
    article = ArticleFactory(title="怎么退款", slug="refund")
    for n in range(5):
        voted(article, helpful=False, comment=f"没说清楚{n}", at=NOW - timedelta(hours=5 - n))
    voted(article, helpful=False)  # no comment
    voted(article, helpful=True, comment="很好")  # a helpful vote's comment is praise
    quiet = ArticleFactory(title="改密码")
    voted(quiet, helpful=False, comment="看不懂")
    rows = most_commented_articles(LAST_7_DAYS)
    assert [(r.title, r.comments) for r in rows] == [("怎么退款", 5), ("改密码", 1)]
    assert rows[0].latest_comments == ["没说清楚4", "没说清楚3", "没说清楚2"]
    assert rows[0].public_url == "/a/refund/"
    assert rows[0].change_url == f"/admin/faq/article/{article.pk}/change/"


def test_votes_are_counted_per_local_day():
    article = ArticleFactory()
    voted(article, helpful=True)
    voted(article, helpful=False)
    voted(article, helpful=False, at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    rows = votes_per_day(LAST_7_DAYS)
    assert [(r.day, r.helpful, r.not_helpful) for r in rows[-2:]] == [
        (date(2026, 11, 30), 0, 1),
        (TODAY, 1, 1),
    ]


# The pages

SEARCH_URL = reverse("admin:dashboard_search")
RATINGS_URL = reverse("admin:dashboard_ratings")


def staff_client(django_user_model, group: str) -> Client:
    user = django_user_model.objects.create_user(group, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(django_user_model) -> Client:
    return staff_client(django_user_model, "Editors")


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_write_an_article_link_opens_the_editor_with_the_query_as_title(editor_client):
    kdpay = BrandFactory(slug="kdpay")
    searched("怎么注销账户", brand=kdpay)
    page = editor_client.get(SEARCH_URL, {"days": "7"})
    [link] = re.findall(r'<a href="([^"]+)">写一篇文章', page.content.decode())
    form = editor_client.get(html.unescape(link)).context["adminform"].form
    assert (form["title"].value(), form["language"].value(), form["brands"].value()) == (
        "怎么注销账户",
        "zh-hans",
        [str(kdpay.pk)],
    )


def test_the_search_page_shows_the_tables_and_a_chart(editor_client):
    searched("没有这篇", at=NOW - timedelta(days=1))
    searched("手续费", results=3)
    page = editor_client.get(SEARCH_URL, {"days": "7"}).content.decode()
    assert '<th scope="row">没有这篇</th><td>简体中文</td><td class="number">1</td>' in page
    assert '<th scope="row">手续费</th>' in page
    assert page.count("<circle ") == 3 * 7  # three lines, one point a day
    assert "<script" not in page.split('<div id="content-main"')[1]


def test_each_search_table_downloads_as_csv(editor_client):
    searched("没有这篇")
    searched("没有这篇")
    searched("手续费", results=3)
    get = lambda table: editor_client.get(SEARCH_URL, {"days": "7", "download": table})  # noqa: E731
    no_results = get("no-results")
    assert no_results["Content-Type"] == "text/csv; charset=utf-8"
    assert no_results["Content-Disposition"] == 'attachment; filename="searches-without-results.csv"'
    assert csv_rows(no_results) == [
        ["query", "language", "searches", "last_seen"],
        ["没有这篇", "zh-hans", "2", NOW.isoformat()],
    ]
    assert csv_rows(get("unopened"))[1:] == [["手续费", "zh-hans", "1", NOW.isoformat()]]
    assert csv_rows(get("per-day"))[-1] == ["2026-12-01", "3", "2", "0"]


def test_the_ratings_page_lists_articles_with_their_links(editor_client):
    article = ArticleFactory(title="怎么退款", slug="refund")
    for helpful in [False] * 4 + [True]:
        voted(article, helpful=helpful, comment="" if helpful else "看不懂")
    page = editor_client.get(RATINGS_URL).content.decode()
    change = f'<a href="/admin/faq/article/{article.pk}/change/">怎么退款</a>'
    assert page.count(change) == 2  # both tables
    assert '<td class="number">20%</td>' in page  # helpful ratio
    assert page.count('<a href="/a/refund/">') == 2
    assert "<li>看不懂</li>" in page


def test_each_ratings_table_downloads_as_csv(editor_client):
    article = ArticleFactory(title="怎么退款")
    for helpful in [False] * 4 + [True]:
        voted(article, helpful=helpful, comment="" if helpful else "看不懂")
    least = csv_rows(editor_client.get(RATINGS_URL, {"download": "least-helpful"}))
    assert least == [
        [
            "article_id",
            "title",
            "language",
            "votes",
            "helpful",
            "not_helpful",
            "helpful_ratio",
            "wilson_not_helpful",
        ],
        [str(article.pk), "怎么退款", "zh-hans", "5", "1", "4", "0.200", f"{wilson_lower_bound(4, 5):.3f}"],
    ]
    assert csv_rows(editor_client.get(RATINGS_URL, {"download": "votes-per-day"}))[-1] == [
        "2026-12-01",
        "1",
        "4",
    ]
    comments = csv_rows(editor_client.get(RATINGS_URL, {"download": "comments"}))
    assert comments[1][:5] == [str(article.pk), "怎么退款", "zh-hans", "4", NOW.isoformat()]
    assert comments[1][5] == "看不懂\n看不懂\n看不懂"


@pytest.mark.parametrize("url", [SEARCH_URL, RATINGS_URL])
@pytest.mark.parametrize(
    ("params", "field"),
    [({"days": "abc"}, "days"), ({"brand": "999"}, "brand"), ({"language": "fr"}, "language")],
)
def test_bad_parameters_are_a_400_with_the_error_in_chinese(editor_client, url, params, field):
    response = editor_client.get(url, params)
    assert response.status_code == 400
    [error] = response.context["form"].errors[field]
    assert error.startswith("选择一个有效的选项")  # Django's "Select a valid choice", in Chinese


@pytest.mark.parametrize("url", [SEARCH_URL, RATINGS_URL])
def test_agents_cannot_open_them(django_user_model, url):
    agent = staff_client(django_user_model, "Support agents")
    assert agent.get(url).status_code == 403


@pytest.mark.parametrize("group", ["Editors", "Publishers"])
def test_editors_and_publishers_find_them_on_the_index(django_user_model, group):
    page = staff_client(django_user_model, group).get(reverse("admin:dashboards")).content.decode()
    assert f'href="{SEARCH_URL}"' in page
    assert f'href="{RATINGS_URL}"' in page


def test_agents_do_not_find_them_on_the_index(django_user_model):
    page = staff_client(django_user_model, "Support agents").get(reverse("admin:dashboards")).content.decode()
    assert SEARCH_URL not in page
    assert RATINGS_URL not in page


def test_superusers_open_them(admin_client):
    assert admin_client.get(SEARCH_URL).status_code == 200
    assert admin_client.get(RATINGS_URL).status_code == 200


# Constant queries


def _fill(rows: int) -> None:
    kdpay = BrandFactory(slug="kdpay")
    articles = [ArticleFactory(brands=[kdpay] if n % 2 else []) for n in range(min(rows // 10, 30))]
    SearchQueryLog.objects.bulk_create(
        SearchQueryLog(
            query=f"问题{n % 37}",
            language="zh-hans" if n % 3 else "en",
            brand=kdpay if n % 2 else None,
            result_count=n % 4,
            clicked=n % 5 == 0,
            created_at=NOW - timedelta(hours=n % 200),
        )
        for n in range(rows)
    )
    ArticleFeedback.objects.bulk_create(
        ArticleFeedback(
            article=articles[n % len(articles)],
            visitor_id=f"v{n}",
            is_helpful=n % 3 == 0,
            comment=f"意见{n}" if n % 2 else "",
        )
        for n in range(rows)
    )


@pytest.mark.parametrize("url", [SEARCH_URL, RATINGS_URL])
def test_the_query_count_does_not_grow_with_the_data(editor_client, django_assert_max_num_queries, url):
    _fill(10)
    with django_assert_max_num_queries(20) as few:
        assert editor_client.get(url, {"days": "30"}).status_code == 200
    _fill(500)
    with django_assert_max_num_queries(20) as many:
        editor_client.get(url, {"days": "30"})
    assert len(many.captured_queries) == len(few.captured_queries)
