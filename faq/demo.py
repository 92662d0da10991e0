"""Demo knowledge base: the six categories and the articles in faq/demo_content/.

Each article is a Markdown file with a small front-matter block (`key: value`
lines between `---` lines; lists comma-separated). An English file with the
same slug as a Chinese one is that article's translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from brands.models import Brand

from .models import Article, Category, Language, Synonym, Tag
from .search import forget_synonyms

DEMO_CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"

DEMO_CATEGORIES = [
    {"slug": "account", "name": "账户", "name_en": "Account", "icon": "👤", "order": 1,
     "description": "登录、密码、实名认证和账户冻结", "description_en": "Sign-in, passwords, identity checks and frozen accounts"},
    {"slug": "payments", "name": "支付", "name_en": "Payments", "icon": "💳", "order": 2,
     "description": "付款失败、重复扣款和支付限额", "description_en": "Failed payments, double charges and limits"},
    {"slug": "refunds", "name": "退款", "name_en": "Refunds", "icon": "↩️", "order": 3,
     "description": "申请退款、到账时间和退款被拒", "description_en": "Asking for a refund, timelines and rejections"},
    {"slug": "security", "name": "安全", "name_en": "Security", "icon": "🛡️", "order": 4,
     "description": "二次验证、识别假客服和被骗后怎么办", "description_en": "Two-step verification, fake support and fraud"},
    {"slug": "withdrawals", "name": "提现", "name_en": "Withdrawals", "icon": "🏦", "order": 5,
     "description": "提现到账时间、手续费和节假日延迟", "description_en": "Withdrawal times, fees and holiday delays"},
    {"slug": "contact", "name": "联系客服", "name_en": "Contacting support", "icon": "☎️", "order": 6,
     "description": "官方渠道、服务时间和问题升级", "description_en": "Official channels, hours and escalation"},
]  # fmt: skip

# Someone who types 冻结 ("frozen") wants their account unfrozen (解冻), not to freeze it:
# with the two as synonyms, "how to get unfrozen" outranks "how to freeze your account".
DEMO_SYNONYMS = ["冻结, 解冻"]


@dataclass
class DemoArticle:
    slug: str
    language: str
    title: str
    summary: str
    category: str
    body: str
    brands: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    featured: bool = False
    order: int = 0


def parse_demo_article(path: Path, language: str) -> DemoArticle:
    text = path.read_text(encoding="utf-8")
    _, front_matter, body = text.split("---\n", 2)
    meta: dict[str, str] = {}
    for line in front_matter.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()

    def as_list(value: str) -> list[str]:
        return [item.strip() for item in value.replace("，", ",").split(",") if item.strip()]

    return DemoArticle(
        slug=path.stem,
        language=language,
        title=meta["title"],
        summary=meta.get("summary", ""),
        category=meta["category"],
        body=body.strip() + "\n",
        brands=as_list(meta.get("brands", "")),
        tags=as_list(meta.get("tags", "")),
        featured=meta.get("featured", "no").lower() in {"yes", "true", "1"},
        order=int(meta.get("order") or 0),
    )


def demo_articles() -> list[DemoArticle]:
    """Chinese articles first, so English translations can link to them."""
    articles = []
    for language in (Language.ZH_HANS, Language.EN):
        for path in sorted((DEMO_CONTENT_DIR / language).glob("*.md")):
            articles.append(parse_demo_article(path, language))
    return articles


def load_demo_categories() -> int:
    changed = 0
    for data in DEMO_CATEGORIES:
        category, created = Category.objects.get_or_create(slug=data["slug"], defaults=data)
        if not created and any(getattr(category, key) != value for key, value in data.items()):
            for key, value in data.items():
                setattr(category, key, value)
            category.save()
        changed += created
    return changed


@transaction.atomic
def load_demo_articles() -> int:
    """Create or update the demo articles; an unchanged article is not saved again."""
    categories = {category.slug: category for category in Category.objects.all()}
    brands = {brand.slug: brand for brand in Brand.objects.all()}
    changed = 0
    for demo in demo_articles():
        original = None
        if demo.language == Language.EN:
            original = Article.objects.filter(slug=demo.slug, language=Language.ZH_HANS).first()
        values = {
            "title": demo.title,
            "summary": demo.summary,
            "body": demo.body,
            "category": categories[demo.category],
            "status": Article.Status.PUBLISHED,
            "is_featured": demo.featured,
            "featured_order": demo.order,
            "original": original,
        }
        article = Article.objects.filter(slug=demo.slug, language=demo.language).first()
        if article is None:
            article = Article.objects.create(slug=demo.slug, language=demo.language, **values)
            changed += 1
        elif any(getattr(article, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(article, key, value)
            article.save()
            changed += 1
        wanted_brands = {brands[slug] for slug in demo.brands}
        if set(article.brands.all()) != wanted_brands:
            article.brands.set(wanted_brands)
        wanted_tags = {Tag.objects.get_or_create(name=name)[0] for name in demo.tags}
        if set(article.tags.all()) != wanted_tags:
            article.tags.set(wanted_tags)
    return changed


def load_demo_synonyms() -> int:
    created = sum(Synonym.objects.get_or_create(words=words)[1] for words in DEMO_SYNONYMS)
    forget_synonyms()
    return created


def load_demo() -> int:
    return load_demo_categories() + load_demo_synonyms() + load_demo_articles()
