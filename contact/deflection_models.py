"""What the contact form's article suggestions found for each message when it was sent, for the
deflection dashboard ("sent although a suggested article matched"). Kept apart from
ContactMessage so recording it never touches the message row, and messages sent before this
existed (or whose search failed) have no check at all rather than a false "nothing matched"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionCheck(models.Model):
    contact_message = models.OneToOneField(
        "contact.ContactMessage",
        verbose_name=_("contact message"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="suggestion_check",
    )
    #: How many articles the suggestions showed (0: none matched); kept on the row so the
    #: dashboard counts matches per day without joining the articles.
    article_count = models.PositiveSmallIntegerField(_("articles suggested"))

    class Meta:
        verbose_name = _("article suggestion check")
        verbose_name_plural = _("article suggestion checks")

    def __str__(self) -> str:
        return f"{self.contact_message_id}: {self.article_count}"


class SuggestedArticle(models.Model):
    suggestion_check = models.ForeignKey(
        SuggestionCheck,
        verbose_name=_("article suggestion check"),
        on_delete=models.CASCADE,
        related_name="articles",
    )
    # SET_NULL: deleting an article later must not rewrite what was matched at the time.
    article = models.ForeignKey(
        "faq.Article", verbose_name=_("article"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))  # 1: shown first

    class Meta:
        verbose_name = _("suggested article")
        verbose_name_plural = _("suggested articles")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion_check", "position"], name="suggested_article_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_check_id} #{self.position}"
