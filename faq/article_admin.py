"""The article editor in the admin: pinyin slugs, review before publishing (faq/workflow.py),
revision history (helpcenter/history_admin.py), translation status, preview as a visitor."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from helpcenter.history_admin import HistoryAdmin
from helpcenter.request import site_origin

from .answer_admin import AlternativeQuestionInline
from .markdown import MAX_BODY_LENGTH, MarkdownTooComplex, render_markdown_bounded
from .models import Article, ArticleFeedback
from .slugs import pinyin_slug, unique_slug
from .translations import TranslationStatus, with_translation_status
from .workflow import article_submitted, articles_move, can_publish, may_change, statuses_for

# What a revision keeps: what editors write and decide, not counters or derived columns.
reversion.register(
    Article,
    fields=[
        "title", "slug", "language", "original", "summary", "body", "category", "brands", "tags",
        "status", "published_at", "is_featured", "featured_order",
    ],
)  # fmt: skip


class ArticleEditorWidget(AdminMarkdownxWidget):
    """django-markdownx's editor with its preview beside it in the public page's stylesheet."""

    template_name = "faq/widgets/article_editor.html"

    class Media:
        # After markdownx's own admin CSS, which these rules override.
        css = {"all": ["css/admin-markdownx.css"]}
        js = ["js/admin-article-preview.js"]


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
    #: The statuses the editing user may choose (set per request by ArticleAdmin.get_form).
    status_choices: list[tuple[str, str]] | None = None

    class Meta:
        help_texts = {
            "slug": _(
                "The article's address; unique within a language. Leave it empty to make one "
                "from the title (Chinese in pinyin)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
        if "status" in self.fields and self.status_choices is not None:
            self.fields["status"].choices = self.status_choices

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

    def clean(self) -> dict:
        """An empty slug is made from the title, in pinyin, unique within the article's language."""
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            language = cleaned.get("language") or self.instance.language
            taken = set(
                Article.objects.filter(language=language)
                .exclude(pk=self.instance.pk)
                .values_list("slug", flat=True)
            )
            cleaned["slug"] = unique_slug(pinyin_slug(cleaned["title"]), taken)
        return cleaned


class TranslationStatusFilter(admin.SimpleListFilter):
    title = _("English translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return TranslationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in TranslationStatus.values:
            return queryset.filter(translation_status=self.value())
        return queryset


class ArticleAdmin(HistoryAdmin, MarkdownxModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = {MarkdownxField: {"widget": ArticleEditorWidget}}
    list_display = [
        "title", "language", "category", "status", "translation", "published_at", "is_featured",
        "view_count", "helpful_percentage",
    ]  # fmt: skip
    list_filter = [
        "status", TranslationStatusFilter, "language", "category", "brands", "is_featured", "published_at"
    ]  # fmt: skip
    list_select_related = ["category"]
    search_fields = ["title", "slug", "summary", "body"]
    autocomplete_fields = ["original", "tags"]
    filter_horizontal = ["brands"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "preview_link",
        "view_count",
        "helpful_count",
        "not_helpful_count",
        "created_at",
        "content_updated_at",
        "updated_at",
    ]
    actions = ["submit_for_review", "publish", "unpublish"]
    inlines = [AlternativeQuestionInline, ArticleFeedbackInline]
    # Publishing status and time stay as they are when an older text is restored.
    history_restore_keep = ("status", "published_at", "is_featured", "featured_order")

    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "original", "category", "summary", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "is_featured", "featured_order", "preview_link"]},
        ),
        (_("Audience"), {"fields": ["brands", "tags"]}),
        (
            _("Statistics"),
            {
                "fields": [
                    "view_count", "helpful_count", "not_helpful_count", "created_at",
                    "content_updated_at", "updated_at",
                ]
            },
        ),
    ]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return with_translation_status(super().get_queryset(request))

    def get_form(self, request: HttpRequest, obj: Article | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.status_choices = statuses_for(request.user)
        return form

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # A published article is live: changing it is publishing, which is for Publishers.
        return super().has_change_permission(request, obj) and may_change(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return super().has_delete_permission(request, obj) and may_change(request.user, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {}
        if article is not None and not article.is_visible:
            context["preview_url"] = reverse("admin:faq_article_preview", args=[article.pk])
        if article is not None and not may_change(request.user, article):
            context["read_only_reason"] = _(
                "This article is published: changing it is publishing, which Publishers do. "
                "Ask one, or copy the text into a new draft."
            )
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user)

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        previous = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        if article_submitted(article=obj, previous_status=previous, base_url=site_origin(request)):
            self.message_user(request, _("The article waits for review; the publishers are emailed."))

    @admin.display(description=_("English"), ordering="translation_status")
    def translation(self, article: Article) -> str:
        return TranslationStatus(article.translation_status).label if article.translation_status else "–"

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
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Preview as a visitor")
        )

    def _move(
        self, request: HttpRequest, queryset: QuerySet[Article], to: str, comment: str, message
    ) -> None:
        count = articles_move(queryset, to=to, base_url=site_origin(request))
        reversion.set_comment(comment)
        self.message_user(request, message(count) % count, messages.SUCCESS)

    @admin.action(description=_("Submit selected articles for review"), permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move(
            request, queryset, Article.Status.IN_REVIEW, _("Submitted for review."),
            lambda n: ngettext("%d article waits for review.", "%d articles wait for review.", n),
        )  # fmt: skip

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move(
            request, queryset, Article.Status.PUBLISHED, _("Published."),
            lambda n: ngettext("%d article published.", "%d articles published.", n),
        )  # fmt: skip

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move(
            request, queryset, Article.Status.DRAFT, _("Unpublished."),
            lambda n: ngettext("%d article unpublished.", "%d articles unpublished.", n),
        )  # fmt: skip

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="faq_article_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The public article page for a draft, scheduled or waiting article, for staff only;
        never stored by any cache (it is not public, whatever the page cache would decide)."""
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
        add_never_cache_headers(response)
        return response
