"""Fill a benchmark database with N articles of realistic Chinese text, then index them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_search_bench .venv/bin/python bench/search_corpus.py
    DATABASE_URL=sqlite:////tmp/hc_search_bench.sqlite3 .venv/bin/python bench/search_corpus.py
    # the wallet relevance set inside 100,000 articles, the filler segmented once for both databases:
    DATABASE_URL=sqlite:////tmp/hc_scale_wallet.sqlite3 .venv/bin/python bench/search_corpus.py \
        --set wallet --filler-cache /tmp/hc_scale_filler_wallet.pickle
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_scale_wallet .venv/bin/python bench/search_corpus.py \
        --set wallet --filler-cache /tmp/hc_scale_filler_wallet.pickle

The "mixed" corpus of the search experiment (docs/benchmarks.md, ## Search): every
sentence of a summary or body is, with probability 0.07, a real sentence of a demo
article, and otherwise a run of words drawn from jieba's dictionary by their frequency
(a Zipf-like spread), so common words (密码, 账户) appear in a realistic share of the
articles rather than in all of them. Titles are always drawn words. The relevance set's articles (--set: the demo set, its
articles and synonyms, or the wallet set, tests/faq/relevance_sets/) are loaded first, so
relevance can be checked at scale.

Steps and what is timed:
1. migrate a fresh database, load the demo brands and categories and the set's articles;
2. generate N - (the set's articles) filler articles and segment them (jieba: the search
   columns), or read them from --filler-cache, which the first run writes: segmenting is most
   of the cost, and the same filler then goes into SQLite and PostgreSQL alike;
3. bulk-insert them with their search columns (the database's index updated as they go in;
   on PostgreSQL the GIN indexes are dropped first and built after, as a bulk load should),
   (the set's own articles were indexed when saved).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env  # noqa: E402

REAL_SENTENCE_PROBABILITY = 0.07
SEED = 20261122


def dictionary_words() -> tuple[list[str], list[float]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, frequency, _ = line.split(" ")
        if re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word) and int(frequency) >= 20:
            words.append(word)
            weights.append(int(frequency))
    return words, weights


class TextGenerator:
    def __init__(self, rng: random.Random, real_sentences: list[str]):
        self.rng = rng
        self.words, weights = dictionary_words()
        total, self.cumulative = 0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.real_sentences = real_sentences

    def sentence(self, low: int = 6, high: int = 18) -> str:
        if self.rng.random() < REAL_SENTENCE_PROBABILITY:
            return self.rng.choice(self.real_sentences)
        count = self.rng.randint(low, high)
        return "".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=count)) + "。"

    def title(self) -> str:
        # Never a copy of a demo title: thousands of articles with the very same title as a
        # real one would measure tie-breaking, not ranking.
        count = self.rng.randint(3, 6)
        return "".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=count))

    def body(self) -> str:
        target, sentences, length = self.rng.randint(120, 370), [], 0
        while length < target:
            sentences.append(self.sentence())
            length += len(sentences[-1])
        return "".join(sentences)


def demo_text() -> tuple[list[str], list[str]]:
    from faq.models import Article

    sentences, titles = [], []
    for article in Article.objects.filter(language="zh-hans"):
        titles.append(article.title)
        text = re.sub(r"[#*>\-\[\]()`|]", "", article.body)
        sentences += [part.strip() + "。" for part in re.split(r"[。！？\n]", text) if len(part.strip()) >= 8]
    return sentences, titles


FILLER_FIELDS = ("title", "summary", "body", "category", "draft", "days", "featured", "brand")


def filler_rows(count: int, real_sentences: list[str], categories: int, brands: int) -> list[dict]:
    """`count` filler articles as plain values (indexes into the categories and brands), with
    their search columns: the expensive part, kept apart so it can be cached."""
    from faq.search import search_columns

    rng = random.Random(SEED)
    generator = TextGenerator(rng, real_sentences)
    rows = []
    for _ in range(count):
        body = generator.body()
        title, summary = generator.title()[:200], generator.sentence(8, 16)[:300]
        row = {
            "title": title,
            "summary": summary,
            "body": body,
            "category": rng.randrange(categories),
            "draft": rng.random() < 0.05,
            "days": rng.randint(1, 900),
            "featured": rng.random() < 0.01,
            "brand": rng.randrange(brands) if rng.random() < 0.3 else None,
        }
        row.update(search_columns(title=title, summary=summary, body=body))
        rows.append(row)
    return rows


def fill(total: int, *, batch_size: int = 2000, cache: Path | None = None) -> dict:
    """Add filler articles up to `total` (search columns filled, so already indexed)."""
    from django.db import connection
    from django.utils import timezone

    from brands.models import Brand
    from faq.models import Article, Category
    from faq.search import drop_index, install_index

    categories = list(Category.objects.order_by("slug"))
    brands = list(Brand.objects.order_by("slug"))
    existing = Article.objects.count()
    started = time.perf_counter()
    rows = None
    if cache is not None and cache.exists():
        rows = pickle.loads(cache.read_bytes())
        if len(rows) != total - existing:
            rows = None
    if rows is None:
        rows = filler_rows(total - existing, demo_text()[0], len(categories), len(brands))
        if cache is not None:
            cache.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    generated = time.perf_counter()
    if connection.vendor == "postgresql":
        drop_index(connection)  # the GIN indexes are built once after the load, not row by row
    now, through = timezone.now(), Article.brands.through
    for offset in range(0, len(rows), batch_size):
        batch = rows[offset : offset + batch_size]
        articles = [
            Article(
                title=row["title"],
                slug=f"bench-{existing + offset + number}",
                language="zh-hans",
                summary=row["summary"],
                body=row["body"],
                body_html=f"<p>{escape(row['body'])}</p>",
                category=categories[row["category"]],
                status=Article.Status.DRAFT if row["draft"] else Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(days=row["days"]),
                is_featured=row["featured"],
                search_title=row["search_title"],
                search_summary=row["search_summary"],
                search_body=row["search_body"],
                search_version=row["search_version"],
            )
            for number, row in enumerate(batch)
        ]
        created = Article.objects.bulk_create(articles)
        through.objects.bulk_create(
            through(article_id=article.pk, brand_id=brands[row["brand"]].pk)
            for article, row in zip(created, batch, strict=True)
            if row["brand"] is not None
        )
    install_index(connection)
    return {
        "generated": len(rows),
        "generate_seconds": round(generated - started, 1),
        "insert_seconds": round(time.perf_counter() - generated, 1),
        "average_characters": round(
            sum(len(row["title"]) + len(row["summary"]) + len(row["body"]) for row in rows)
            / max(1, len(rows))
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--set", choices=["demo", "wallet"], default="demo", help="the relevance set inside")
    parser.add_argument(
        "--filler-cache", type=Path, help="read the segmented filler from here (written if missing)"
    )
    args = parser.parse_args()
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection

    from faq.models import Article
    from tests.faq.relevance_sets import evaluate

    call_command("migrate", verbosity=0)
    call_command("flush", "--no-input", verbosity=0)
    evaluate.load(args.set)
    filled = fill(args.articles, cache=args.filler_cache)
    result = {"database": connection.vendor, "set": args.set, "articles": args.articles, **filled}
    print(json.dumps(result), flush=True)
    result["published"] = Article.objects.published().count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE faq_article")
            cursor.execute(
                "SELECT pg_relation_size('faq_article_search_idx'), pg_relation_size('faq_article_search_title_idx'),"
                " pg_total_relation_size('faq_article')"
            )
            gin, title_gin, table = cursor.fetchone()
            result["index_mb"] = {"gin": round(gin / 2**20), "title_gin": round(title_gin / 2**20)}
            result["table_mb_total"] = round(table / 2**20)
        else:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            result["database_mb"] = round(pages * cursor.fetchone()[0] / 2**20)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
