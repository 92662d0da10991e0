"""Search among thousands of articles that use the relevance set's own words (issue 12, item 7).

At 100,000 articles (docs/benchmarks.md, "Search at 100,000 articles") the answers compete with
many articles that mention a question's words in passing: the benchmark's filler copies real
sentences of the set's articles into its summaries and bodies, between runs of common words.
This builds the same kind of crowd, small enough for the suite: FILLER articles whose titles
are common dictionary words and whose summaries and bodies mix common words with sentences of
the set's articles, each copied sentence far more often than at 100,000 (so that every query
meets dozens of articles holding its words). Their search columns are written directly, each
distinct sentence tokenized once, so building the crowd costs well under a second.
"""

from __future__ import annotations

import random
import re

import pytest

from faq.models import Article, Category
from faq.search import SEARCH_VERSION, segmenter, tokenize
from tests.faq.relevance_sets import evaluate

pytestmark = pytest.mark.django_db

FILLER = 3000
#: A filler sentence is a copy of one of the set's sentences this often (0.07 in the benchmark,
#: where 100,000 articles make each sentence's copies numerous anyway).
COPIED_SENTENCE_SHARE = 0.5
#: The goal (issue 12). The wallet set's tuning part reaches 0.910 in this crowd on SQLite and
#: 0.916 on PostgreSQL, the candidates ranked by where each word is (faq/search/fields.py); 0.846
#: and 0.799 with the passes ranked one after the other.
MIN_RECALL_AT_3 = 0.80


def _common_words(rng: random.Random) -> tuple[list[str], list[int]]:
    words, cumulative, total = [], [], 0
    for word, frequency in segmenter().FREQ.items():
        if frequency >= 20 and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word):
            total += frequency
            words.append(word)
            cumulative.append(total)
    return words, cumulative


def _crowd(count: int) -> list[Article]:
    """`count` published articles holding the set's sentences in passing, already indexed."""
    rng = random.Random(20261201)
    words, cumulative = _common_words(rng)
    sentences = []
    for body in Article.objects.filter(language="zh-hans").values_list("body", flat=True):
        text = re.sub(r"[#*>\-\[\]()`|]", "", body)
        sentences += [part for part in re.split(r"[。！？\n]", text) if len(part.strip()) >= 8]
    sentence_tokens = [" ".join(tokenize(sentence)) for sentence in dict.fromkeys(sentences)]

    def common(low: int, high: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(low, high)))

    def sentence() -> str:
        return rng.choice(sentence_tokens) if rng.random() < COPIED_SENTENCE_SHARE else common(6, 18)

    category = Category.objects.first()
    return [
        Article(
            title=f"filler {number}",
            slug=f"filler-{number}",
            language="zh-hans",
            summary="",
            body="",
            category=category,
            status=Article.Status.PUBLISHED,
            search_title=common(3, 6),
            search_summary=sentence(),
            search_body=" ".join(sentence() for _ in range(rng.randint(6, 14))),
            search_version=SEARCH_VERSION,
        )
        for number in range(count)
    ]


def test_wallet_answers_stay_in_the_top_3_among_thousands_of_articles_using_their_words(client):
    evaluate.load("wallet")
    Article.objects.bulk_create(_crowd(FILLER), batch_size=500)
    tuning = [query for query in evaluate.queries("wallet") if not query.held_out]
    outcome = evaluate.evaluate(client, tuning)
    score = outcome.score()
    print(f"recall@3 {score.recall:.3f}  MRR {score.mrr:.3f}  over {score.count} queries")
    for miss in outcome.misses:
        print(miss)
    assert score.recall >= MIN_RECALL_AT_3, outcome.misses
