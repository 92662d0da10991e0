from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .article_admin import ArticleAdmin
from .forms import SearchReportForm
from .models import Article, ArticleFeedback, Category, SearchQueryLog, Synonym, Tag
from .search import forget_synonyms
from .search_days import search_days_recount, searched_days

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


admin.site.register(Article, ArticleAdmin)


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

    # Deleting searches changes their days' counts (faq/search_days.py).
    def delete_model(self, request: HttpRequest, obj: SearchQueryLog) -> None:
        self.delete_queryset(request, SearchQueryLog.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SearchQueryLog]) -> None:
        days = searched_days(queryset)
        super().delete_queryset(request, queryset)
        search_days_recount(days)

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
