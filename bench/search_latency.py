"""In-process search latency over 200+ different queries, and relevance at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_search_bench .venv/bin/python bench/search_latency.py
    DATABASE_URL=sqlite:////tmp/hc_search_bench.sqlite3 .venv/bin/python bench/search_latency.py

Run bench/search_corpus.py first. For every query the script times
- "search": parse the query (normalise, segment, synonyms) and run the ranked query
  plan (faq.search.search, uncached, up to 100 ids), and
- "page": the same plus what the results view does next: fetch the first 20 articles
  and build their highlighted titles and snippets;
and, apart, "segmenter": normalising and segmenting the query alone (faq.search.tokenize).
One warm-up pass, then --passes timed passes. It also reports recall@3 and MRR of the
relevance set in the database (--set: tests/faq/relevance.py or the wallet set,
bench/search_corpus.py --set) against the whole corpus, per kind of query, and the misses.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env  # noqa: E402
from bench.search_corpus import SEED, demo_text, dictionary_words  # noqa: E402


def build_queries() -> list[tuple[str, str]]:
    """(query, language): the relevance set, dictionary word pairs and fragments of real sentences."""
    from tests.faq.relevance import CASES

    rng = random.Random(SEED + 1)
    queries = [(case.query, case.language) for case in CASES]
    words, weights = dictionary_words()
    ranked = [word for _, word in sorted(zip(weights, words, strict=True), reverse=True) if len(word) >= 2]
    band = ranked[200:5000]
    queries += [("".join(rng.sample(band, 2)), "zh-hans") for _ in range(100)]
    queries += [(" ".join(rng.sample(band, 3)), "zh-hans") for _ in range(20)]
    sentences, titles = demo_text()
    for _ in range(60):
        text = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", rng.choice(sentences))
        size = rng.randint(4, 8)
        start = rng.randint(0, max(0, len(text) - size))
        queries.append((text[start : start + size], "zh-hans"))
    queries += [(title, "zh-hans") for title in rng.sample(titles, 20)]
    return list(dict.fromkeys(query for query in queries if len(query[0]) >= 2))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 0.50), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values), 2),
        "mean": round(statistics.fmean(values), 2),
    }


def relevance(name: str = "demo") -> dict:
    """recall@3 and MRR of a relevance set (tests/faq/relevance_sets/evaluate.py) against every
    article in the database, per kind of query: what /api/v1/search ranks (the same search(),
    uncached, with the spelling correction), in-process."""
    from brands.models import Brand
    from faq import search
    from tests.faq.relevance_sets import evaluate

    scores: dict[tuple[str, str], evaluate.Score] = {}
    misses = []
    for query in evaluate.queries(name):
        brand = Brand.objects.get(slug=query.brand) if query.brand else None
        filters = search.SearchFilters(language=query.language, brand=brand)
        found = [article.slug for article in search.search(query.text, filters, cached=False).articles[:10]]
        recall = evaluate.recall_at_3(found, query.answers)
        rank = evaluate.reciprocal_rank(found, query.answers)
        for part in (query.part, "all"):
            for kind in (query.kind, "all"):
                scores.setdefault((part, kind), evaluate.Score()).add(recall, rank)
        if recall < 1 and not query.held_out:
            misses.append(
                f"[{query.kind}] {query.text} → {', '.join(found[:3])} (want {', '.join(query.answers)})"
            )
    overall = scores[("all", "all")]
    return {
        "set": name,
        "recall_at_3": round(overall.recall, 3),
        "mrr": round(overall.mrr, 3),
        "by_kind": {
            f"{part}/{kind}": [round(score.recall, 3), round(score.mrr, 3), score.count]
            for (part, kind), score in sorted(scores.items())
        },
        "misses": misses,
    }


def first_search_after_save(queries: list[tuple[str, str]], rounds: int) -> dict:
    """The first search after an article save (every derived structure of the old content
    version stale: synonym groups, spelling vocabulary, word rarity), against the next one.

    Each round saves one article (its summary edited, as an editor would), then times one
    uncached search of a query not searched yet and one more search of another query."""
    from faq import search
    from faq.models import Article

    article = Article.objects.filter(language="zh-hans").order_by("pk").first()
    first, second = [], []
    for number in range(rounds):
        article.summary = (
            f"{article.summary.rstrip('.')}."[:299] if number % 2 else article.summary.rstrip(".")
        )
        article.save()
        timings = []
        for text, language in queries[2 * number : 2 * number + 2]:
            started = time.perf_counter()
            search.search(text, search.SearchFilters(language=language), cached=False)
            timings.append((time.perf_counter() - started) * 1000)
        first.append(timings[0])
        second.append(timings[1])
    return {
        "rounds": rounds,
        "first_ms": [round(value, 1) for value in first],
        "next_ms": [round(value, 1) for value in second],
        "first_median_ms": round(statistics.median(first), 1),
        "next_median_ms": round(statistics.median(second), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--slowest", type=int, default=5, help="Print this many slowest queries.")
    parser.add_argument(
        "--set", choices=["demo", "wallet"], default="demo", help="the relevance set in the database"
    )
    parser.add_argument(
        "--relevance-only",
        action="store_true",
        help="Only recall@3 and MRR of the relevance set (no timing).",
    )
    parser.add_argument(
        "--after-save",
        type=int,
        default=0,
        metavar="N",
        help="Save an article N times and time the first uncached search after each save (no other timing).",
    )
    args = parser.parse_args()
    django_env.setup()
    from django.db import connection

    from faq import search
    from faq.models import Article

    search.warm_up()
    if args.relevance_only:
        scores = {"database": connection.vendor, "articles": Article.objects.count(), **relevance(args.set)}
        print(json.dumps(scores, ensure_ascii=False, indent=1))
        return
    queries = build_queries()
    if args.after_save:
        # Warm every process-wide structure first, as a running server has.
        import threading

        from faq import spelling

        for text, language in queries[-5:]:
            search.search(text, search.SearchFilters(language=language), cached=False)
        for thread in threading.enumerate():
            if thread.name == spelling.BUILD_THREAD:
                thread.join()
        after_save = first_search_after_save(queries, args.after_save)
        print(json.dumps({"database": connection.vendor, "articles": Article.objects.count(), **after_save}))
        return
    segmenting = []
    for number in range(args.passes + 1):
        for text, _ in queries:
            started = time.perf_counter()
            search.tokenize(text)
            if number:
                segmenting.append((time.perf_counter() - started) * 1_000_000)
    core, page, per_query = [], [], {}
    for number in range(args.passes + 1):
        for text, language in queries:
            started = time.perf_counter()
            result = search.search(text, search.SearchFilters(language=language), cached=False)
            middle = time.perf_counter()
            result.top(20)
            ended = time.perf_counter()
            if number:  # pass 0 warms caches
                core.append((middle - started) * 1000)
                page.append((ended - started) * 1000)
                per_query.setdefault(text, []).append((middle - started) * 1000)
    scores = relevance(args.set)
    slowest = sorted(per_query.items(), key=lambda item: -max(item[1]))[: args.slowest]
    result = {
        "database": connection.vendor,
        "articles": Article.objects.count(),
        "queries": len(queries),
        "timed_runs": len(core),
        # What normalising and segmenting one query costs (jieba loaded), in microseconds.
        "segmenter_us": {key: round(value) for key, value in summary(segmenting).items()},
        "search_ms": summary(core),
        "page_ms": summary(page),
        **scores,
        "slowest_ms": {text: round(max(times), 1) for text, times in slowest},
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
