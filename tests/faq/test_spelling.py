"""Typos by sound (faq/spelling.py): homophones from pinyin input, corrected towards the
lexicon's words and the index's own vocabulary."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faq import spelling
from faq.search import normalize, segmenter
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def correct(text: str, *, domain=("提现", "密码", "退款", "忘记密码"), indexed=None) -> str | None:
    vocabulary = spelling.Vocabulary.build(domain_words=domain, indexed_words=Counter(indexed or {}))
    return spelling.correct(normalize(text), vocabulary, cut=segmenter().lcut)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("忘记蜜码", "忘记密码"), ("退宽", "退款"), ("体现手续费", "提现手续费"), ("我想体现", "我想提现")],
)
def test_homophones_become_the_words_the_help_center_uses(typed, meant):
    assert correct(typed) == meant


def test_a_domain_word_wins_over_a_real_word_of_the_same_sound_in_the_index():
    assert correct("体现", indexed={"体现": 40, "提现": 2}) == "提现"


def test_words_already_in_the_vocabulary_are_left_alone():
    assert correct("退款多久到账", indexed={"多久": 3, "到账": 5}) is None
    assert correct("refund 退款") is None


def test_index_words_correct_words_outside_the_lexicon_most_frequent_first():
    assert correct("境外消废", domain=(), indexed={"境外": 2, "消费": 9, "销废": 1}) == "境外消费"


def test_site_vocabulary_holds_published_titles_and_summaries_only():
    ArticleFactory(title="境外消费退款", summary="汇率说明。")
    ArticleFactory(title="内部草稿", summary="新品预告。", status="draft")
    assert spelling.corrected("境外消废") == "境外消费"
    assert spelling.corrected("新品预稿") is None  # 预告 is only in a draft


@pytest.mark.django_db(transaction=True)
def test_a_large_site_builds_the_vocabulary_in_the_background(monkeypatch):
    monkeypatch.setattr(spelling, "SYNC_BUILD_MAX_ARTICLES", 0)
    monkeypatch.setattr(spelling, "_memo", None)  # a process that has not built one yet
    ArticleFactory(title="境外消费退款", summary="汇率说明。")
    # Meanwhile the lexicon alone corrects: the request does not wait for the build.
    assert spelling.corrected("境外消废") is None
    assert spelling.corrected("体现") == "提现"
    for thread in threading.enumerate():
        if thread.name == spelling.BUILD_THREAD:
            thread.join(timeout=30)
    assert spelling.corrected("境外消废") == "境外消费"


def _wait_for_the_build() -> None:
    for thread in threading.enumerate():
        if thread.name == spelling.BUILD_THREAD:
            thread.join(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_large_site_learns_a_saved_articles_words_at_once_without_reading_every_title(monkeypatch):
    monkeypatch.setattr(spelling, "SYNC_BUILD_MAX_ARTICLES", 1)
    monkeypatch.setattr(spelling, "_memo", None)
    ArticleFactory(title="境外消费退款", summary="汇率说明。")
    ArticleFactory(title="年费说明", summary="会员年费。")
    spelling.site_vocabulary()
    _wait_for_the_build()
    assert spelling.corrected("积分对换") is None  # no article says 兑换 yet

    ArticleFactory(title="积分兑换规则", summary="积分怎样换礼品。")
    with CaptureQueriesContext(connection) as captured:
        assert spelling.corrected("积分对换") == "积分兑换"  # the first query after the save
    assert not any(thread.name == spelling.BUILD_THREAD for thread in threading.enumerate())
    # One query, for the articles saved since the last look, by the updated_at index.
    assert [query["sql"] for query in captured if "faq_article" in query["sql"]] == [
        query["sql"] for query in captured if "updated_at" in query["sql"]
    ]
    assert spelling.corrected("境外消废") == "境外消费"  # the words read before stay
