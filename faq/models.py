"""The knowledge base: categories, articles in two languages, tags, votes, synonyms, the search log.

Query logic lives on the querysets (querysets.py); article counts per category in counts.py.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from brands.models import Brand
from helpcenter.localized import Language, LocalizedText
from pagecache.invalidation import ContentQuerySet

from .content_dates import ContentDatedModel
from .markdown import render_article
from .querysets import ArticleQuerySet, SearchQueryLogQuerySet
from .search import search_columns


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

    objects = ContentQuerySet.as_manager()

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


class Article(ContentDatedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
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
    # Segmented text for the full-text index (faq/search/index.py fills them in save()).
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_version = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Editors submit for review; only Publishers (faq/workflow.py) publish.
        permissions = [("publish_article", _("Can publish articles"))]
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
            # An article's related list, among the articles sharing as many tags with it: walked
            # in this order, it stops after a few (faq/querysets.py ArticleQuerySet.related_to).
            models.Index(
                fields=["language", "status", "-is_featured", "-view_count", "id"], name="article_related_idx"
            ),
            # The articles saved since a moment: the spelling vocabulary adds their words on a
            # content change instead of reading every title again (faq/spelling.py).
            models.Index(fields=["updated_at"], name="article_updated_idx"),
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
        from .alternatives import article_alternative_texts, with_alternatives

        update_fields = save_kwargs.get("update_fields")
        if update_fields is not None and not {"title", "summary", "body"} & set(update_fields):
            return
        columns = search_columns(title=self.title, summary=self.summary, body=self.body)
        # Alternative questions are indexed as part of the title (faq/alternatives.py).
        columns["search_title"] = with_alternatives(columns["search_title"], article_alternative_texts(self))
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


class SearchQueryLog(models.Model):
    """One search as the site saw it, without who made it: no address, session or user."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language)
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_count = models.PositiveIntegerField(_("results"))
    clicked = models.BooleanField(_("result opened"), default=False)
    # The last result opened from this search: the source of "also asked as" suggestions.
    opened_article = models.ForeignKey(
        Article,
        verbose_name=_("article opened"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = SearchQueryLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search")
        verbose_name_plural = _("search log")
        indexes = [
            # The search dashboard's "found nothing" table (faq/dashboard.py) reads only these
            # rows, typically a sixth of the log, instead of scanning all of the period's.
            models.Index(fields=["created_at"], condition=Q(result_count=0), name="searchlog_no_result_idx"),
        ]

    def __str__(self) -> str:
        return self.query


# "Also asked as" and the direct answer live in their own module; Django finds models through this one.
from .answer_models import AlternativeQuestion, AnswerFeedback, QuestionSuggestion  # noqa: E402, F401
from .search_day_models import SearchDay, SearchDayCount  # noqa: E402, F401
