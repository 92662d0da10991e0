"""Admin for "also asked as" and the direct answer: the article inline, suggestions, votes."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .alternatives import (
    article_alternatives_reindex,
    question_suggestions_accept,
    question_suggestions_dismiss,
)
from .answer_models import AlternativeQuestion, AnswerFeedback, QuestionSuggestion


class AlternativeQuestionFormSet(BaseInlineFormSet):
    def save(self, commit: bool = True):
        saved = super().save(commit=commit)
        # The article was saved (and indexed) before its inlines: index the questions as they are now.
        if commit and self.has_changed():
            article_alternatives_reindex(self.instance)
        return saved


class AlternativeQuestionInline(admin.TabularInline):
    model = AlternativeQuestion
    formset = AlternativeQuestionFormSet
    fields = ["text"]
    extra = 1
    verbose_name = _("alternative question")
    verbose_name_plural = _("Also asked as (found by search like the title)")


@admin.register(QuestionSuggestion)
class QuestionSuggestionAdmin(admin.ModelAdmin):
    """Queries that led people to an article, offered to editors; applied only when accepted."""

    list_display = ["query", "article", "language", "times", "last_seen_at", "status"]
    list_filter = ["status", "language"]
    list_select_related = ["article"]
    search_fields = ["query", "article__title"]
    readonly_fields = ["query", "article", "language", "times", "last_seen_at", "status"]
    actions = ["accept", "dismiss"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Accept as alternative question"), permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet[QuestionSuggestion]) -> None:
        count = question_suggestions_accept(queryset)
        message = ngettext(
            "%d query added as an alternative question.", "%d queries added as alternative questions.", count
        )
        self.message_user(request, message % count, messages.SUCCESS)

    @admin.action(description=_("Dismiss"), permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[QuestionSuggestion]) -> None:
        count = question_suggestions_dismiss(queryset)
        message = ngettext("%d suggestion dismissed.", "%d suggestions dismissed.", count)
        self.message_user(request, message % count, messages.SUCCESS)


@admin.register(AnswerFeedback)
class AnswerFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "query", "article", "heading", "is_answer"]
    list_filter = ["is_answer", "language", "created_at"]
    list_select_related = ["article"]
    search_fields = ["query", "article__title"]
    readonly_fields = ["article", "heading", "query", "language", "is_answer", "created_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AnswerFeedback | None = None) -> bool:
        return False
