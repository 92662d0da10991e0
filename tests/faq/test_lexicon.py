"""The wallet lexicon (faq/lexicon.py, faq/data/wallet_lexicon.txt): read, joined with the
staff's synonyms, and applied to what people type."""

from __future__ import annotations

import pytest
from django.urls import reverse

from faq import lexicon
from faq.models import Synonym
from faq.search import normalize, tokenize
from faq.search.query import STOP_WORDS
from tests.factories import ArticleFactory


def found(client, query: str) -> list[str]:
    return [result["slug"] for result in client.get(reverse("api:search"), {"q": query}).json()["results"]]


def test_a_line_holds_written_words_then_typed_words():
    groups = lexicon.read_groups("# money arriving\n到账, 入账 | 钱没到，收到钱\n\n提现、取现\n")
    assert groups == [lexicon.Group(("到账", "入账"), ("钱没到", "收到钱")), lexicon.Group(("提现", "取现"))]


def test_a_staff_group_sharing_a_word_joins_the_lexicon_group_as_written_words():
    merged = lexicon.merge_groups(
        [lexicon.Group(("冻结",), ("封号",)), lexicon.Group(("冻结", "解冻"))], key=normalize
    )
    assert merged == [lexicon.Group(("冻结", "解冻"), ("封号",))]


def test_the_shipped_lexicon_is_rich_and_each_word_is_in_one_group():
    groups = lexicon.lexicon_groups()
    words = [normalize(word) for group in groups for word in (*group.written, *group.typed)]
    assert len(groups) >= 80
    assert len(words) == len(set(words))
    assert {"钱没到", "封号", "短信码", "热线", "取现", "money back"} <= set(words)


def test_each_words_tokens_belong_to_one_group_and_keep_a_word_of_their_own():
    # The parser maps tokens to groups, a later group replacing an earlier one: two groups whose
    # words tokenize alike ("charges" and "charged" are both "charg") would silently lose one.
    # And a typed phrase left with a lone letter after stop words ("didn't get" -> "t") would
    # widen every "can't" to its group.
    owners: dict[tuple[str, ...], set[str]] = {}
    for group in lexicon.merge_groups(lexicon.lexicon_groups(), key=normalize):
        for word in group.written:
            tokens = lexicon.alternative(word, tokenize=tokenize, stop_words=STOP_WORDS)
            owners.setdefault(tokens, set()).add(group.written[0])
        for word in group.typed:
            tokens = lexicon.alternative(word, tokenize=tokenize, stop_words=STOP_WORDS, typed=True)
            assert tokens != ("t",), word
            if tokens:
                owners.setdefault(tokens, set()).add(group.written[0])
    assert {tokens: groups for tokens, groups in owners.items() if len(groups) > 1} == {}


@pytest.mark.django_db
def test_colloquial_words_find_the_articles_written_in_standard_words(client):
    ArticleFactory(
        slug="arrival", title="提现多久到账", summary="到账时间说明。", body="普通提现下一个工作日到账。"
    )
    ArticleFactory(
        slug="banned", title="账户被冻结怎么申诉", summary="冻结原因和申诉材料。", body="提交材料。"
    )
    assert found(client, "钱怎么还没到") == ["arrival"]
    assert found(client, "号被封了") == ["banned"]


@pytest.mark.django_db
def test_a_written_word_is_not_widened_to_colloquial_phrases(client):
    # "钱没到" is a typed form of 到账; an article using only that phrase is not an answer to 到账.
    ArticleFactory(slug="arrival", title="提现多久到账", summary="到账时间。", body="普通提现下一个工作日。")
    ArticleFactory(slug="chat", title="用户留言", summary="留言整理。", body="有人说钱没到。")
    assert found(client, "到账") == ["arrival"]


@pytest.mark.django_db
def test_staff_extend_a_group_through_the_synonyms(client):
    ArticleFactory(slug="withdraw", title="怎么提现到银行卡", summary="提现步骤。", body="选择银行卡。")
    assert found(client, "出金") == []
    Synonym.objects.create(words="提现, 出金")
    assert found(client, "出金") == ["withdraw"]
    # Joined with the lexicon's group: its typed words still find the article too.
    assert found(client, "取钱") == ["withdraw"]
