from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from brands.models import Brand
from helpcenter.localized import LocalizedText
from pagecache.invalidation import ContentQuerySet

from .markdown import render_article


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


def current_language() -> str:
    """The active language as one of Language's values (zh-hans when unknown)."""
    language = (get_language() or Language.ZH_HANS).lower()
    return Language.EN if language.startswith("en") else Language.ZH_HANS


COUNTS_CACHE_SECONDS = 600


def published_counts(language: str) -> dict:
    """Published articles per category in one language: `all`, and per (category, brand) link.

    Counted in two grouped queries for every brand at once, then kept per content version
    (any article change moves it) and never past the next scheduled publish time, so the
    home, brand and category pages of every brand read counts without scanning articles.
    `by_brand[(category_id, None)]` counts the articles naming no brand (they apply to all).
    """
    from pagecache.schedule import next_scheduled_change
    from pagecache.versions import current_version

    version = current_version()
    key = f"faq:counts:{version}:{language}"
    counts = cache.get(key)
    if counts is None:
        articles = Article.objects.published().filter(language=language).order_by()
        # COUNT(*) rather than COUNT(id): the category index answers it alone.
        totals = articles.values_list("category_id").annotate(n=Count("*"))
        links = articles.values_list("category_id", "brands").annotate(n=Count("*"))
        counts = {"all": dict(totals), "by_brand": {(category, brand): n for category, brand, n in links}}
        lifetime = COUNTS_CACHE_SECONDS
        scheduled = next_scheduled_change(version)
        if scheduled is not None:
            lifetime = min(lifetime, int((scheduled - timezone.now()).total_seconds()))
        if lifetime > 0:
            cache.set(key, counts, lifetime)
    return counts


def category_article_count(counts: dict, category_id: int, brand: Brand | None) -> int:
    if brand is None:
        return counts["all"].get(category_id, 0)
    by_brand = counts["by_brand"]
    return by_brand.get((category_id, None), 0) + by_brand.get((category_id, brand.pk), 0)


class CategoryQuerySet(ContentQuerySet):
    def with_article_counts(self, *, language: str, brand: Brand | None = None) -> list[Category]:
        """Categories in order, each with `article_count`: its published articles in one language
        (and brand), from the counts kept per content version (`published_counts`)."""
        counts = published_counts(language)
        categories = list(self.order_by("order", "slug"))
        for category in categories:
            category.article_count = category_article_count(counts, category.pk, brand)
        return categories


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(
        _("name (English)"),
        max_length=60,
        blank=True,
        help_text=_("Shown on English pages; Chinese if empty."),
    )
    description = models.CharField(_("description (Chinese)"), max_length=200, blank=True)
    description_en = models.CharField(
        _("description (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on English pages; Chinese if empty."),
    )
    icon = models.CharField(
        _("icon"), max_length=8, blank=True, help_text=_("An emoji shown beside the name.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("faq:category_detail", kwargs={"category_slug": self.slug})

    localized_name = LocalizedText("name")
    localized_description = LocalizedText("description")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


#: most_viewed_for reads this many times `limit` of the most read articles before narrowing to a brand.
MOST_VIEWED_CANDIDATES = 8


class ArticleQuerySet(ContentQuerySet):
    # Popularity counters: the most-read lists catch up within the page cache's lifetime.
    counter_fields = frozenset({"view_count", "helpful_count", "not_helpful_count"})

    def published(self, at: datetime | None = None) -> ArticleQuerySet:
        """Articles the public may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def for_brand(self, brand: Brand) -> ArticleQuerySet:
        """Articles that apply to `brand`: those naming it and those naming no brand at all."""
        links = Article.brands.through.objects.filter(article=OuterRef("pk"))
        return self.filter(Exists(links.filter(brand=brand)) | ~Exists(links))

    def visible(self, *, language: str, brand: Brand | None = None) -> ArticleQuerySet:
        """Published articles in one language, narrowed to a brand when one is chosen."""
        articles = self.published().filter(language=language)
        return articles.for_brand(brand) if brand is not None else articles

    def for_list_page(self) -> ArticleQuerySet:
        """What article lists read (category, brands), fetched up front and ordered for reading."""
        return (
            self.select_related("category")
            .prefetch_related("brands")
            .order_by("-is_featured", "featured_order", "-view_count", "-published_at", "pk")
        )

    def featured(self) -> ArticleQuerySet:
        return self.filter(is_featured=True).order_by("featured_order", "-published_at")

    def most_viewed(self) -> ArticleQuerySet:
        return self.order_by("-view_count", "-published_at", "pk")

    def most_viewed_for(self, *, language: str, brand: Brand | None, limit: int) -> list[Article]:
        """The `limit` most read visible articles of a language (and brand), in one query.

        With a brand, databases check the brand of every visible article and then sort them
        all (SQLite: 43 ms at 20,000 articles). Instead the language's most read articles are
        taken in index order, a few times `limit` of them, and narrowed to the brand; since
        most articles apply to every brand, that nearly always finds `limit`. When it does
        not, the full query answers.
        """
        visible = self.visible(language=language)
        if brand is None:
            return list(visible.most_viewed()[:limit])
        candidates = visible.most_viewed().values("pk")[: limit * MOST_VIEWED_CANDIDATES]
        found = list(visible.for_brand(brand).filter(pk__in=candidates).most_viewed()[:limit])
        if len(found) < limit:
            found = list(visible.for_brand(brand).most_viewed()[:limit])
        return found

    def search(self, query: str, *, language: str, brand: Brand | None = None) -> ArticleQuerySet:
        """Published articles matching `query`, best first (faq/search.py does the work)."""
        from . import search

        return search.search_articles(query, language=language, brand=brand)

    def related_to(self, article: Article) -> ArticleQuerySet:
        """Articles sharing the category or a tag with `article`, most shared tags first."""
        tag_ids = [tag.pk for tag in article.tags.all()]
        return (
            self.visible(language=article.language)
            .exclude(pk=article.pk)
            .filter(Q(category_id=article.category_id) | Q(tags__in=tag_ids))
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
            .select_related("category")
            .order_by("-shared_tags", "-is_featured", "-view_count", "pk")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, help_text=_("The article's address; unique within a language.")
    )
    language = models.CharField(_("language"), max_length=8, choices=Language, default=Language.ZH_HANS)
    original = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": Language.ZH_HANS},
        help_text=_("For an English article: the Chinese article it translates."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences; shown in lists and search engines."),
    )
    body = MarkdownxField(_("body (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    toc_html = models.TextField(editable=False, default="")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    brands = models.ManyToManyField(
        Brand,
        verbose_name=_("brands"),
        blank=True,
        related_name="articles",
        help_text=_("Leave empty when the article applies to every brand."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"), default=timezone.now, help_text=_("A future time schedules the article.")
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    featured_order = models.PositiveSmallIntegerField(_("featured order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0, editable=False)
    not_helpful_count = models.PositiveIntegerField(_("not helpful votes"), default=0, editable=False)
    # Segmented text for the full-text index (faq/search.py fills them in save()).
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_version = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="article_slug_unique_per_language"),
        ]
        indexes = [
            models.Index(fields=["language", "status", "published_at"], name="article_visible_idx"),
            # Article counts per category (home, brand and category pages) read only this index.
            models.Index(
                fields=["category", "language", "status", "published_at"], name="article_category_idx"
            ),
            # "Most read" and "featured" lists on the home page, without sorting every article.
            models.Index(
                fields=["language", "status", "-view_count", "-published_at", "id"],
                name="article_most_viewed_idx",
            ),
            # A category page's list, in its reading order: page 1 reads 20 index entries
            # instead of sorting every article of the category.
            models.Index(
                fields=[
                    "category",
                    "language",
                    "status",
                    "-is_featured",
                    "featured_order",
                    "-view_count",
                    "-published_at",
                    "id",
                ],
                name="article_category_list_idx",
            ),
            models.Index(
                fields=["language", "featured_order"],
                condition=Q(is_featured=True),
                name="article_featured_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Render once per save, not per request; the page outputs the stored HTML.
        rendered = render_article(self.body)
        self.body_html, self.toc_html = rendered.html, rendered.toc_html
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "toc_html"}
        self._fill_search_columns(kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("faq:article_detail", kwargs={"slug": self.slug})

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def helpful_ratio(self) -> float | None:
        total = self.helpful_count + self.not_helpful_count
        return self.helpful_count / total if total else None

    def _fill_search_columns(self, save_kwargs: dict) -> None:
        from .search import search_columns

        update_fields = save_kwargs.get("update_fields")
        if update_fields is not None and not {"title", "summary", "body"} & set(update_fields):
            return
        columns = search_columns(title=self.title, summary=self.summary, body=self.body)
        for name, value in columns.items():
            setattr(self, name, value)
        if update_fields is not None:
            save_kwargs["update_fields"] = {*update_fields, *columns}


class ArticleFeedback(models.Model):
    """One visitor's answer to "was this article helpful?"."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    visitor_id = models.CharField(_("visitor"), max_length=64, editable=False)
    is_helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_id"], name="feedback_one_vote_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"{'👍' if self.is_helpful else '👎'} #{self.article_id}"


class Synonym(models.Model):
    """Words that mean the same to a searcher (提现, 取现): a query with one finds the others."""

    words = models.CharField(
        _("words"),
        max_length=300,
        unique=True,
        help_text=_("Two or more words that mean the same, separated by commas, e.g. 提现, 取现."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["words"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return self.words


class SearchQueryLogQuerySet(models.QuerySet):
    def between(self, start: datetime, end: datetime) -> SearchQueryLogQuerySet:
        return self.filter(created_at__gte=start, created_at__lt=end)

    def top_queries(self) -> SearchQueryLogQuerySet:
        """Each distinct query and language with its count, average results and click-throughs."""
        return (
            self.values("query", "language")
            .annotate(
                searches=Count("pk"),
                results=models.Avg("result_count"),
                clicks=Count("pk", filter=Q(clicked=True)),
            )
            .order_by("-searches", "query")
        )

    def without_results(self) -> SearchQueryLogQuerySet:
        return self.filter(result_count=0)


class SearchQueryLog(models.Model):
    """One search as the site saw it, without who made it: no address, session or user."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language)
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_count = models.PositiveIntegerField(_("results"))
    clicked = models.BooleanField(_("result opened"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = SearchQueryLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search")
        verbose_name_plural = _("search log")

    def __str__(self) -> str:
        return self.query
