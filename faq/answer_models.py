"""Models of "also asked as" and the direct answer (imported by faq/models.py).

- `AlternativeQuestion`: another way people ask what an article answers, written by an editor
  (or accepted from a suggestion); indexed with the article's title (faq/alternatives.py).
- `QuestionSuggestion`: a query whose searcher opened this article from the results, offered
  to editors as a new alternative question. Never indexed until a person accepts it.
- `AnswerFeedback`: one "was this the answer?" vote on a direct answer, without who gave it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpcenter.localized import Language


class AlternativeQuestion(models.Model):
    article = models.ForeignKey(
        "faq.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="alternative_questions",
    )
    text = models.CharField(
        _("question"),
        max_length=200,
        help_text=_("How people ask for this article in their own words, e.g. 钱怎么还没到."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alternative question")
        verbose_name_plural = _("also asked as")
        constraints = [
            models.UniqueConstraint(fields=["article", "text"], name="alternative_question_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class QuestionSuggestionQuerySet(models.QuerySet):
    def pending(self) -> QuestionSuggestionQuerySet:
        return self.filter(status=QuestionSuggestion.Status.PENDING)


class QuestionSuggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(
        "faq.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="question_suggestions",
    )
    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language)
    times = models.PositiveIntegerField(_("searches that opened it"), default=0)
    last_seen_at = models.DateTimeField(_("last searched"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)

    objects = QuestionSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-times", "-last_seen_at"]
        verbose_name = _("suggested alternative question")
        verbose_name_plural = _("suggested alternative questions")
        constraints = [
            models.UniqueConstraint(fields=["article", "query"], name="question_suggestion_unique"),
        ]
        indexes = [models.Index(fields=["status", "-times"], name="question_suggestion_list_idx")]

    def __str__(self) -> str:
        return self.query


class AnswerFeedback(models.Model):
    article = models.ForeignKey(
        "faq.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="answer_feedback"
    )
    heading = models.CharField(_("section"), max_length=200, blank=True)
    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language)
    is_answer = models.BooleanField(_("was the answer"))
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("direct answer vote")
        verbose_name_plural = _("direct answer votes")

    def __str__(self) -> str:
        return f"{'👍' if self.is_answer else '👎'} {self.query}"
