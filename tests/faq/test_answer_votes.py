""" "Was this the answer?": a POST outside every cache, without JavaScript and with htmx, recorded
without who voted; the form works from cached pages, so it needs no CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from faq.answer_service import search_answer
from faq.models import AnswerFeedback
from tests.factories import make_article
from tests.helpers import en_url, zh_url

pytestmark = pytest.mark.django_db

BODY = "提现一般两小时内到账。\n\n## 提现没到账怎么办\n\n1. 查看提现记录。\n2. 超过 24 小时联系客服。\n"


@pytest.fixture
def answer():
    article = make_article(title="提现多久到账", slug="withdrawal-time", body=BODY)
    return search_answer(
        [(article.pk, 1.0)], words=["没到账", "到账"], query="提现 没到账 13800138000", language="zh-hans"
    )


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_search_answer_names_the_article_and_its_best_section(answer):
    assert (answer.slug, answer.heading) == ("withdrawal-time", "提现没到账怎么办")
    assert "<ol>" in answer.html


def test_two_close_results_give_no_answer():
    first = make_article(title="提现多久到账", slug="a", body=BODY)
    second = make_article(title="提现到账时间", slug="b", body=BODY)
    assert (
        search_answer([(first.pk, 1.0), (second.pk, 0.9)], words=["到账"], query="到账", language="zh-hans")
        is None
    )


def test_a_vote_without_javascript_is_recorded_and_redirected_to_thanks(csrf_client, answer):
    response = csrf_client.post(zh_url("faq:answer_vote"), {"token": answer.vote_token, "vote": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(zh_url("faq:answer_thanks"))
    vote = AnswerFeedback.objects.get()
    assert (vote.article.slug, vote.heading, vote.is_answer) == ("withdrawal-time", "提现没到账怎么办", True)
    assert vote.query == "提现 没到账 [number]"
    thanks = csrf_client.get(response["Location"])
    assert "很高兴这解答了你的问题" in thanks.content.decode()


def test_a_no_vote_by_htmx_gets_the_thanks_fragment(csrf_client, answer):
    response = csrf_client.post(
        zh_url("faq:answer_vote"), {"token": answer.vote_token, "vote": "no"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'role="status"' in html
    assert AnswerFeedback.objects.get().is_answer is False


def test_the_thanks_page_after_a_no_offers_the_results_and_support(client, answer):
    response = client.post(zh_url("faq:answer_vote"), {"token": answer.vote_token, "vote": "no"}, follow=True)
    html = response.content.decode()
    assert reverse("contact:index") in html
    assert "?q=%E6%8F%90%E7%8E%B0" in html


def test_a_forged_token_is_refused_with_a_message_and_nothing_is_recorded(client):
    response = client.post(zh_url("faq:answer_vote"), {"token": "forged:token", "vote": "yes"})
    assert response.status_code == 400
    assert "这个答案已无法评价，请重新搜索。" in response.content.decode()
    assert not AnswerFeedback.objects.exists()


def test_a_vote_that_is_neither_yes_nor_no_is_refused_in_english_on_english_pages(client, answer):
    response = client.post(en_url("faq:answer_vote"), {"token": answer.vote_token, "vote": "maybe"})
    assert response.status_code == 400
    assert "Choose yes or no." in response.content.decode()
    assert not AnswerFeedback.objects.exists()


def test_voting_is_a_post_only(client):
    assert client.get(zh_url("faq:answer_vote")).status_code == 405


@pytest.mark.usefixtures("frozen_clock")
def test_votes_are_rate_limited_per_client(client, answer, settings):
    data = {"token": answer.vote_token, "vote": "yes"}
    statuses = [client.post(zh_url("faq:answer_vote"), data).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert AnswerFeedback.objects.count() == 20
