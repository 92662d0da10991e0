"""The wallet relevance set (tests/faq/relevance_sets/): well-formed, and scored through the API.

The thresholds are what search reaches on the part of the set tuned against, at demo size
(SQLite 0.932 / 0.928, PostgreSQL 0.940 / 0.915 with the pooled passes, Snowball stemming and
the broadened lexicon of issue 12; bench/relevance.py prints every kind, and the held-out and
blind parts, on both databases);
a change that lowers them fails here. The held-out part is not asserted on: it is never tuned against.
"""

from __future__ import annotations

import json

import pytest

from tests.faq.relevance_sets import evaluate, wallet

MIN_RECALL_AT_3 = 0.93
MIN_MRR = 0.91


def test_the_set_has_enough_articles_and_queries_of_every_kind():
    records = [json.loads(line) for line in wallet.ARTICLES.read_text(encoding="utf-8").splitlines()]
    slugs = {record["slug"] for record in records}
    assert len({record["slug"] for record in records if record["language"] == "zh-hans"}) >= 60
    assert len(wallet.CASES) >= 150
    assert {case.kind for case in wallet.CASES} == set(wallet.KINDS)
    assert sum(case.held_out for case in wallet.CASES) >= len(wallet.CASES) / 3
    assert {answer for case in wallet.CASES for answer in case.answers} <= slugs


def test_the_blind_part_is_held_out_and_new():
    blind = [case for case in wallet.CASES if case.blind]
    assert len(blind) >= 60
    assert all(case.held_out for case in blind)
    assert {case.kind for case in blind} <= set(wallet.KINDS)
    earlier = {case.query for case in wallet.CASES if not case.blind}
    assert not earlier & {case.query for case in blind}
    assert len({case.query for case in blind}) == len(blind)


@pytest.mark.django_db
def test_tuning_part_keeps_the_recall_and_mrr_reached(client):
    evaluate.load("wallet")
    tuning = [query for query in evaluate.queries("wallet") if not query.held_out]
    outcome = evaluate.evaluate(client, tuning)
    score = outcome.score()
    print(f"recall@3 {score.recall:.3f}  MRR {score.mrr:.3f}  over {score.count} queries")
    assert score.recall >= MIN_RECALL_AT_3, outcome.misses
    assert score.mrr >= MIN_MRR, outcome.misses
