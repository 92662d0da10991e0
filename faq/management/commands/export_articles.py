"""Export articles as JSON Lines, the format import_articles reads."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from faq.article_io import article_as_record
from faq.models import Article, Language


class Command(BaseCommand):
    help = "Write every article (or one language's) as JSON Lines to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (standard output by default).")
        parser.add_argument("--language", choices=Language.values)

    def handle(self, *args, output: str | None = None, language: str | None = None, **options):
        articles = Article.objects.select_related("category").prefetch_related("brands", "tags")
        if language:
            articles = articles.filter(language=language)
        lines = (
            json.dumps(article_as_record(article), ensure_ascii=False)
            for article in articles.order_by("language", "slug")
        )
        if output:
            count = 0
            with open(output, "w", encoding="utf-8") as handle:
                for line in lines:
                    handle.write(line + "\n")
                    count += 1
            self.stderr.write(f"Exported {count} articles to {output}.")
        else:
            for line in lines:
                self.stdout.write(line)
