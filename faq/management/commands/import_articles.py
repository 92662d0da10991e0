"""Import articles from a JSON Lines file (format: faq/article_io.py)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brands.models import Brand
from faq.article_io import LineError, article_import, parse_line
from faq.models import Category

PROGRESS_EVERY = 1000


class Command(BaseCommand):
    help = "Create or update articles (by slug and language) from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one article per line ('-' reads standard input).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid lines even if some lines have errors.",
        )

    def handle(self, *args, file: str, dry_run: bool, skip_invalid: bool, verbosity: int = 1, **options):
        lines = self._read(file)
        categories = {category.slug: category for category in Category.objects.all()}
        brands = {brand.slug: brand for brand in Brand.objects.all()}
        records, errors, seen = [], [], {}
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = parse_line(line, categories=categories, brands=brands)
                key = (record.slug, record.language)
                if key in seen:
                    raise LineError(f"same slug and language as line {seen[key]}")
                seen[key] = number
                records.append((number, record))
            except LineError as error:
                errors.append((number, str(error)))
        for number, reason in errors:
            self.stderr.write(f"line {number}: {reason}")
        if errors and not skip_invalid:
            raise CommandError(
                f"{len(errors)} of {len(records) + len(errors)} lines have errors; nothing was imported "
                "(fix them, or pass --skip-invalid to import the valid lines)."
            )
        created = updated = 0
        with transaction.atomic():
            for done, (_, record) in enumerate(records, 1):
                if article_import(record):
                    created += 1
                else:
                    updated += 1
                if verbosity >= 1 and len(records) > PROGRESS_EVERY and done % PROGRESS_EVERY == 0:
                    self.stdout.write(f"… {done}/{len(records)} articles")
            if dry_run:
                transaction.set_rollback(True)
        prefix = "Dry run: would have " if dry_run else ""
        skipped = f", skipped {len(errors)} invalid lines" if errors else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{'created' if dry_run else 'Created'} {created}, updated {updated}{skipped}."
            )
        )

    def _read(self, file: str) -> list[str]:
        if file == "-":
            return sys.stdin.read().splitlines()
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
