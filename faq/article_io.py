"""Articles as JSON Lines, one article per line: the import/export format.

Keys: slug, title, body (Markdown), category (slug), language (zh-hans or en),
brands (brand slugs; empty means every brand), tags (names), and optionally summary
and status (default published). Export writes exactly these keys, so export followed
by import reproduces the articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from brands.models import Brand

from .models import Article, Category, Language, Tag

REQUIRED = ("slug", "title", "body", "category", "language")
OPTIONAL = ("brands", "tags", "summary", "status")


class LineError(Exception):
    pass


@dataclass
class ArticleRecord:
    slug: str
    title: str
    body: str
    category: Category
    language: str
    brands: list[Brand] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = Article.Status.PUBLISHED


def _text(data: dict, key: str, *, max_length: int | None = None, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise LineError(f"“{key}” must be a string")
    if required and not value.strip():
        raise LineError(f"“{key}” is empty")
    if max_length and len(value) > max_length:
        raise LineError(f"“{key}” is longer than {max_length} characters")
    return value


def _string_list(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise LineError(f"“{key}” must be a list of non-empty strings")
    return value


def parse_line(line: str, *, categories: dict[str, Category], brands: dict[str, Brand]) -> ArticleRecord:
    """One line as an article record, or LineError saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise LineError("not a JSON object")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise LineError("missing " + ", ".join(f"“{key}”" for key in missing))
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise LineError("unknown key " + ", ".join(f"“{key}”" for key in unknown))
    slug = _text(data, "slug", max_length=Article._meta.get_field("slug").max_length)
    try:
        validate_slug(slug)
    except ValidationError:
        raise LineError(f"“slug” {slug!r} may only hold letters, digits, hyphens and underscores") from None
    language = _text(data, "language")
    if language not in Language.values:
        raise LineError(f"“language” must be one of {', '.join(Language.values)}, not {language!r}")
    category_slug = _text(data, "category")
    if category_slug not in categories:
        raise LineError(f"unknown category {category_slug!r}")
    brand_slugs = _string_list(data, "brands")
    unknown_brands = [slug for slug in brand_slugs if slug not in brands]
    if unknown_brands:
        raise LineError("unknown brand " + ", ".join(repr(slug) for slug in unknown_brands))
    tags = _string_list(data, "tags")
    if any(len(tag) > Tag._meta.get_field("name").max_length for tag in tags):
        raise LineError("a tag is longer than 40 characters")
    status = data.get("status", Article.Status.PUBLISHED)
    if status not in Article.Status.values:
        raise LineError(f"“status” must be one of {', '.join(Article.Status.values)}, not {status!r}")
    return ArticleRecord(
        slug=slug,
        title=_text(data, "title", max_length=Article._meta.get_field("title").max_length),
        body=_text(data, "body"),
        category=categories[category_slug],
        language=language,
        brands=[brands[slug] for slug in brand_slugs],
        tags=list(dict.fromkeys(tags)),
        summary=_text(
            data, "summary", max_length=Article._meta.get_field("summary").max_length, required=False
        ),
        status=status,
    )


@transaction.atomic
def article_import(record: ArticleRecord) -> bool:
    """Create or update the article with this slug and language; True when created."""
    values = {
        "title": record.title,
        "body": record.body,
        "summary": record.summary,
        "category": record.category,
        "status": record.status,
    }
    article, created = Article.objects.update_or_create(
        slug=record.slug, language=record.language, defaults=values
    )
    article.brands.set(record.brands)
    article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in record.tags])
    return created


def article_as_record(article: Article) -> dict:
    """The export form of an article (brands and tags prefetched)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "body": article.body,
        "category": article.category.slug,
        "language": article.language,
        "brands": sorted(brand.slug for brand in article.brands.all()),
        "tags": sorted(tag.name for tag in article.tags.all()),
        "summary": article.summary,
        "status": article.status,
    }
