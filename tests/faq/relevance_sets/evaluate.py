"""Load a relevance set into the database, ask /api/v1/search every query, and score it.

Shared by tests/faq/test_relevance_sets.py and bench/relevance.py, so the test and the
benchmark measure the same thing: the set imported the way a help center imports articles
(`manage.py import_articles`, or the demo loaders for the demo set) and queried through the
public API, as a client would.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tests.faq import relevance as demo_set
from tests.faq.relevance_sets import wallet

SETS = ("demo", "wallet")
PARTS = ("tuning", "held-out", "blind")


@dataclass(frozen=True)
class Query:
    text: str
    answers: tuple[str, ...]
    kind: str
    language: str
    brand: str | None = None
    held_out: bool = False
    blind: bool = False

    @property
    def part(self) -> str:
        if self.blind:
            return "blind"
        return "held-out" if self.held_out else "tuning"


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _demo_kind(case: demo_set.Case) -> str:
    """tests/faq/relevance.py has no kinds: a coarse one from the query's own characters."""
    import zhconv

    if case.language == "en":
        return "english"
    if _CJK.search(case.query) and _LATIN.search(case.query):
        return "mixed"
    if zhconv.convert(case.query, "zh-cn") != case.query:
        return "traditional"
    if len(case.query) <= 4:
        return "short"
    return "other"


def queries(name: str) -> list[Query]:
    if name == "demo":
        return [
            Query(case.query, case.answers, _demo_kind(case), case.language, brand=case.brand)
            for case in demo_set.CASES
        ]
    return [
        Query(case.query, case.answers, case.kind, case.language, held_out=case.held_out, blind=case.blind)
        for case in wallet.CASES
    ]


def load(name: str) -> None:
    """The demo brands and categories, then the set's articles (the demo set: the demo articles
    and synonyms, as tests/faq/test_search_relevance.py loads them)."""
    from django.core.management import call_command

    from brands.demo import load_demo_brands
    from faq.demo import load_demo_articles, load_demo_categories, load_demo_synonyms

    load_demo_brands()
    load_demo_categories()
    if name == "demo":
        load_demo_synonyms()
        load_demo_articles()
    else:
        call_command("import_articles", str(wallet.ARTICLES), verbosity=0)


def ask(client, query: Query, *, limit: int = 10) -> dict:
    """The API's answer to one query (status checked by the caller's scoring)."""
    params = {"q": query.text, "lang": query.language, "limit": limit}
    if query.brand:
        params["brand"] = query.brand
    response = client.get("/api/v1/search", params)
    assert response.status_code == 200, (query.text, response.status_code, response.content[:200])
    return response.json()


def recall_at_3(found: list[str], answers: tuple[str, ...]) -> float:
    return demo_set.recall_at_3(found, answers)


def reciprocal_rank(found: list[str], answers: tuple[str, ...]) -> float:
    return demo_set.reciprocal_rank(found, answers)


@dataclass
class Score:
    count: int = 0
    recall: float = 0.0
    mrr: float = 0.0

    def add(self, recall: float, rank: float) -> None:
        self.recall = (self.recall * self.count + recall) / (self.count + 1)
        self.mrr = (self.mrr * self.count + rank) / (self.count + 1)
        self.count += 1


@dataclass
class Outcome:
    """Scores by (part, kind), with "all" rows, and the tuning queries whose answers were not all
    in the top 3."""

    scores: dict[tuple[str, str], Score]
    misses: list[tuple[str, str, list[str]]]

    def score(self, part: str = "all", kind: str = "all") -> Score:
        return self.scores.get((part, kind), Score())


def evaluate(client, items: Iterable[Query]) -> Outcome:
    scores: dict[tuple[str, str], Score] = defaultdict(Score)
    misses = []
    for query in items:
        found = [result["slug"] for result in ask(client, query)["results"]]
        recall, rank = recall_at_3(found, query.answers), reciprocal_rank(found, query.answers)
        for part in (query.part, "all"):
            for kind in (query.kind, "all"):
                scores[part, kind].add(recall, rank)
        if recall < 1 and not query.held_out:  # the held-out part is never looked at query by query
            misses.append((query.kind, query.text, found[:3]))
    return Outcome(dict(scores), misses)
