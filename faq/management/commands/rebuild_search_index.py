"""Re-segment articles and rebuild the database's full-text index.

Needed after a change to the tokenizer (faq/search/text.py; bump SEARCH_VERSION) or to
repair an index; saving, publishing and deleting articles keep it current otherwise.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from faq.alternatives import article_alternative_texts, with_alternatives
from faq.models import Article
from faq.search import SEARCH_VERSION, rebuild_database_index, search_columns

BATCH_SIZE = 500
COLUMNS = ["search_title", "search_summary", "search_body", "search_version"]


class Command(BaseCommand):
    help = "Re-segment article text for search and rebuild the full-text index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated", action="store_true", help="Only articles indexed by an older tokenizer version."
        )

    def handle(self, *args, outdated: bool = False, verbosity: int = 1, **options):
        started = time.perf_counter()
        articles = Article.objects.order_by("pk")
        if outdated:
            articles = articles.exclude(search_version=SEARCH_VERSION)
        total = articles.count()
        done = 0
        ids = list(articles.values_list("pk", flat=True))
        for offset in range(0, len(ids), BATCH_SIZE):
            batch = list(
                Article.objects.filter(pk__in=ids[offset : offset + BATCH_SIZE])
                .only("pk", "title", "summary", "body", *COLUMNS)
                .prefetch_related("alternative_questions")
            )
            for article in batch:
                for name, value in search_columns(
                    title=article.title, summary=article.summary, body=article.body
                ).items():
                    setattr(article, name, value)
                article.search_title = with_alternatives(
                    article.search_title, article_alternative_texts(article)
                )
            with transaction.atomic():
                Article.objects.bulk_update(batch, COLUMNS)
            done += len(batch)
            if verbosity >= 2:
                self.stdout.write(f"{done}/{total}")
        rebuild_database_index(connection)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} articles in {time.perf_counter() - started:.1f} s.")
        )
