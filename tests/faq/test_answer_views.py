"""The direct answer where people see it: above the results, at the top of the instant results
and in the API; absent when two results are close; cached with the response it is part of."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from faq.models import AlternativeQuestion, Article
from tests.factories import make_article
from tests.helpers import en_url, zh_url

pytestmark = pytest.mark.django_db

FORGOT = """忘记登录密码不用着急。

## 自助重置步骤

1. 打开登录页，点击“忘记密码”。
2. 输入注册时使用的手机号。
3. 设置新密码。

## 重置之后

提现可能被暂时限制。
"""

FORGOT_EN = """Don't worry.

## Reset it yourself

1. Open the sign-in page and tap "Forgot password".
2. Enter your phone number.

## After the reset

Withdrawals may be paused for a while.
"""


@pytest.fixture(autouse=True)
def other_articles():
    """A help center of a few articles: with two or three, bm25 scores every match about 0."""
    topics = ["绑定银行卡", "修改昵称", "开通二次验证", "查看账单", "设置支付限额", "注销账户"]
    for number, title in enumerate(topics):
        make_article(title=title, slug=f"other-{number}", body=f"{title}的步骤。")
    for number, title in enumerate(["Link a bank card", "Change your nickname", "Turn on 2FA"]):
        make_article(title=title, slug=f"other-en-{number}", language="en", body=f"How to {title.lower()}.")


@pytest.fixture
def forgot():
    return make_article(title="忘记密码怎么办", slug="forgot-password", body=FORGOT)


@pytest.fixture
def close_pair():
    make_article(title="退款多久到账", slug="refund-time", body="一般三天。")
    make_article(title="退款到账时间", slug="refund-arrival", body="一般三天。")


def test_the_results_page_shows_the_winning_section_above_the_results(client, forgot):
    make_article(title="账户安全", slug="safety", body="不要告诉别人密码。")
    html = client.get(zh_url("faq:search"), {"q": "忘记密码"}).content.decode()
    box = html[html.index('class="answer"') : html.index('class="article-list search-results"')]
    assert "最佳答案" in box
    assert '<h2 class="answer__title" id="answer-title">自助重置步骤</h2>' in box
    assert "设置新密码" in box
    assert "提现可能被暂时限制" not in box
    assert f'href="/a/forgot-password/#{quote("自助重置步骤")}"' in box
    assert 'action="/search/answer/vote/"' in box


def test_the_english_results_page_shows_the_english_answer(client):
    make_article(title="Forgot password", slug="forgot-password", language="en", body=FORGOT_EN)
    html = client.get(en_url("faq:search"), {"q": "forgot password"}).content.decode()
    assert "Best answer" in html
    assert '<h2 class="answer__title" id="answer-title">Reset it yourself</h2>' in html
    assert "Was this the answer?" in html


def test_two_close_results_show_no_answer_box(client, close_pair):
    response = client.get(zh_url("faq:search"), {"q": "退款到账"})
    assert len(response.context["page"].object_list) == 2
    assert 'class="answer"' not in response.content.decode()


def test_the_api_gives_the_answer_as_slug_heading_and_html(client, forgot):
    answer = client.get("/api/v1/search", {"q": "忘记密码"}).json()["answer"]
    assert set(answer) == {"slug", "heading", "html"}
    assert (answer["slug"], answer["heading"]) == ("forgot-password", "自助重置步骤")
    assert answer["html"].startswith("<ol>")


def test_the_api_answer_is_null_for_two_close_results(client, close_pair):
    body = client.get("/api/v1/search", {"q": "退款到账"}).json()
    assert body["total"] == 2
    assert body["answer"] is None


def test_the_api_answer_is_null_without_results(client, forgot):
    assert client.get("/api/v1/search", {"q": "发票"}).json()["answer"] is None


def test_the_instant_results_open_with_the_answer_and_htmx_vote_buttons(client, forgot):
    html = client.get(zh_url("faq:search_instant"), {"q": "忘记密码"}).content.decode()
    assert html.index('class="instant-answer"') < html.index('class="instant-results__list"')
    assert "自助重置步骤" in html
    assert html.count('hx-post="/search/answer/vote/"') == 2
    assert "<form" not in html  # the dropdown opens inside the search form


def test_the_instant_answer_is_cached_and_its_vote_still_records(client, forgot, django_assert_num_queries):
    url = zh_url("faq:search_instant")
    client.get(url, {"q": "忘记密码"})
    with django_assert_num_queries(0):
        cached = client.get(url, {"q": "忘记密码"})
    html = cached.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert not cached.cookies
    token = html.split('hx-vals=\'{"token": "')[1].split('"')[0]
    vote = client.post(
        zh_url("faq:answer_vote"), {"token": token, "vote": "yes"}, headers={"HX-Request": "true"}
    )
    assert vote.status_code == 200
    assert Article.objects.get(slug="forgot-password").answer_feedback.get().is_answer


def test_an_edited_article_changes_the_cached_answer(client, forgot):
    url = "/api/v1/search?q=忘记密码"
    assert "设置新密码" in client.get(url).json()["answer"]["html"]
    forgot.body = FORGOT.replace("设置新密码", "设置一个新的登录密码")
    forgot.save()
    assert "设置一个新的登录密码" in client.get(url).json()["answer"]["html"]


def test_a_new_alternative_question_changes_cached_search_answers(client, forgot):
    url = "/api/v1/search?q=登不上去"
    assert client.get(url).json()["total"] == 0
    AlternativeQuestion.objects.create(article=forgot, text="登不上去了")
    from faq.alternatives import article_alternatives_reindex

    article_alternatives_reindex(forgot)
    body = client.get(url).json()
    assert body["total"] == 1
    assert body["answer"]["slug"] == "forgot-password"


def test_only_the_first_page_of_results_shows_the_answer(client, forgot):
    for number in range(25):
        make_article(title=f"账户问题{number}", slug=f"p{number}", body="忘记密码时先看这里。")
    first = client.get(zh_url("faq:search"), {"q": "忘记密码"})
    assert first.context["answer"].slug == "forgot-password"
    response = client.get(zh_url("faq:search"), {"q": "忘记密码", "page": 2})
    assert response.context["page"].number == 2
    assert response.context["answer"] is None
