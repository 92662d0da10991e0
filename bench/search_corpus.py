"""Fill a benchmark database with N articles of realistic Chinese text, then index them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hc_search_bench .venv/bin/python bench/search_corpus.py
    DATABASE_URL=sqlite:////tmp/hc_search_bench.sqlite3 .venv/bin/python bench/search_corpus.py

The "mixed" corpus of the search experiment (docs/benchmarks.md, ## Search): every
sentence of a summary or body is, with probability 0.07, a real sentence of a demo
article, and otherwise a run of words drawn from jieba's dictionary by their frequency
(a Zipf-like spread), so common words (密码, 账户) appear in a realistic share of the
articles rather than in all of them. Titles are always drawn words. The 70 demo articles are loaded first, so relevance can be checked at scale.

Steps and what is timed:
1. migrate a fresh database, load the demo brands, categories and articles;
2. generate and bulk-insert N - 70 articles with empty search columns (not timed as indexing);
3. `manage.py rebuild_search_index`: jieba segmentation of every article, writing the
   search columns, and the database's full-text index (timed: the indexing time).
"""

from __future__ import annotations

import argparse
import json
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


def fill(total: int, *, batch_size: int = 2000) -> dict:
    from django.utils import timezone

    from brands.models import Brand
    from faq.models import Article, Category

    rng = random.Random(SEED)
    generator = TextGenerator(rng, demo_text()[0])
    categories, brands = list(Category.objects.all()), list(Brand.objects.all())
    existing = Article.objects.count()
    started, now, batch, characters = time.perf_counter(), timezone.now(), [], 0
    through = Article.brands.through
    for number in range(existing, total):
        body = generator.body()
        title, summary = generator.title(), generator.sentence(8, 16)
        characters += len(title) + len(summary) + len(body)
        batch.append(
            Article(
                title=title[:200],
                slug=f"bench-{number}",
                language="zh-hans",
                summary=summary[:300],
                body=body,
                body_html=f"<p>{escape(body)}</p>",
                category=rng.choice(categories),
                status=Article.Status.DRAFT if rng.random() < 0.05 else Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(days=rng.randint(1, 900)),
                is_featured=rng.random() < 0.01,
            )
        )
        if len(batch) >= batch_size or number == total - 1:
            created = Article.objects.bulk_create(batch)
            links = [
                through(article_id=article.pk, brand_id=rng.choice(brands).pk)
                for article in created
                if rng.random() < 0.3
            ]
            through.objects.bulk_create(links)
            batch = []
    return {
        "generated": total - existing,
        "generate_seconds": round(time.perf_counter() - started, 1),
        "average_characters": round(characters / max(1, total - existing)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection

    from brands.demo import load_demo_brands
    from faq.demo import load_demo_articles, load_demo_categories
    from faq.models import Article

    call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    load_demo_brands()
    load_demo_categories()
    load_demo_articles()
    result = {"database": connection.vendor, "articles": args.articles, **fill(args.articles)}
    print(json.dumps(result), flush=True)
    started = time.perf_counter()
    call_command("rebuild_search_index", verbosity=0)
    result["index_seconds"] = round(time.perf_counter() - started, 1)
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
