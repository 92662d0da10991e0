from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.admin import MarkdownxModelAdmin

from .forms import SearchReportForm
from .markdown import MAX_BODY_LENGTH, MarkdownTooComplex, render_markdown_bounded
from .models import Article, ArticleFeedback, Category, SearchQueryLog, Synonym, Tag
from .search import forget_synonyms

REPORT_ROWS = 50


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "icon", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name", "name_en", "slug"]
    # Chinese and English side by side (helpcenter/localized.py).
    fields = [("name", "name_en"), ("description", "description_en"), "slug", "icon", "order"]

    class Media:
        css = {"all": ["css/admin-bilingual.css"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ArticleFeedbackInline(admin.TabularInline):
    model = ArticleFeedback
    fields = ["created_at", "is_helpful", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("Reader feedback")

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False


class ArticleAdminForm(forms.ModelForm):
    def clean_body(self) -> str:
        """The body must render within the editor's bounds, or saving it would not."""
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY_LENGTH:
            raise forms.ValidationError(
                _("The article is longer than %(limit_value)d characters; split it up."),
                params={"limit_value": MAX_BODY_LENGTH},
                code="max_length",
            )
        try:
            render_markdown_bounded(body)
        except MarkdownTooComplex as error:
            raise forms.ValidationError(str(error), code="too_complex") from None
        return body


@admin.register(Article)
class ArticleAdmin(MarkdownxModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title", "language", "category", "status", "published_at", "is_featured",
        "view_count", "helpful_percentage",
    ]  # fmt: skip
    list_filter = ["status", "language", "category", "brands", "is_featured", "published_at"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["original", "tags"]
    filter_horizontal = ["brands"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "preview_link",
        "view_count",
        "helpful_count",
        "not_helpful_count",
        "created_at",
        "updated_at",
    ]
    actions = ["publish", "unpublish"]
    inlines = [ArticleFeedbackInline]

    class Media:
        css = {"all": ["css/admin-markdownx.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "original", "category", "summary", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "is_featured", "featured_order", "preview_link"]},
        ),
        (_("Audience"), {"fields": ["brands", "tags"]}),
        (
            _("Statistics"),
            {"fields": ["view_count", "helpful_count", "not_helpful_count", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("helpful"))
    def helpful_percentage(self, article: Article) -> str:
        ratio = article.helpful_ratio
        if ratio is None:
            return "–"
        return f"{ratio:.0%} ({article.helpful_count + article.not_helpful_count})"

    @admin.display(description=_("preview"))
    def preview_link(self, article: Article) -> str:
        if article.pk is None:
            return _("Save the article to preview it.")
        url = reverse("admin:faq_article_preview", args=[article.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Preview the public page")
        )

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        # update() does not touch auto_now fields, so set updated_at too: it drives Last-Modified.
        now = timezone.now()
        count = queryset.filter(status=Article.Status.DRAFT).update(
            status=Article.Status.PUBLISHED, published_at=now, updated_at=now
        )
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", count) % count,
            messages.SUCCESS,
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="faq_article_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The public article page for a draft or scheduled article, for staff only."""
        article = get_object_or_404(
            Article.objects.select_related("category").prefetch_related("brands", "tags"), pk=pk
        )
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        with translation.override(article.language):
            response = TemplateResponse(
                request,
                "faq/article_detail.html",
                {"article": article, "is_preview": True, "related_articles": [], "translation": None},
            )
            response.render()
        response["X-Robots-Tag"] = "noindex"
        return response


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "is_helpful", "comment"]
    list_filter = ["is_helpful", "created_at", "article__language", "article__category"]
    list_select_related = ["article"]
    search_fields = ["comment", "article__title"]
    readonly_fields = ["article", "is_helpful", "comment", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["words", "updated_at"]
    search_fields = ["words"]

    # Queries read synonyms from the cache; drop it whenever staff change them.
    def save_model(self, request: HttpRequest, obj: Synonym, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_synonyms()

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        super().delete_model(request, obj)
        forget_synonyms()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        super().delete_queryset(request, queryset)
        forget_synonyms()


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    """The raw search log (read-only) and the reports editors plan articles from."""

    list_display = ["created_at", "query", "language", "brand", "result_count", "clicked"]
    list_filter = ["language", "brand", "clicked", "created_at"]
    list_select_related = ["brand"]
    search_fields = ["query"]
    date_hierarchy = "created_at"
    change_list_template = "admin/faq/searchquerylog/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SearchQueryLog | None = None) -> bool:
        return False

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("report/", report, name="faq_searchquerylog_report"), *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """Top queries and queries that found nothing, over the chosen period."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SearchReportForm(request.GET or None)
        start, end = form.period()
        logs = SearchQueryLog.objects.between(start, end)
        if form.is_valid() and form.cleaned_data["language"]:
            logs = logs.filter(language=form.cleaned_data["language"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("What users search for"),
            "opts": self.model._meta,
            "form": form,
            "start": start,
            "end": end,
            "total": logs.count(),
            "top_queries": logs.top_queries()[:REPORT_ROWS],
            "zero_result_queries": logs.without_results().top_queries()[:REPORT_ROWS],
        }
        return TemplateResponse(request, "admin/faq/searchquerylog/report.html", context)
