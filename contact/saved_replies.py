"""Saved replies: texts agents reuse, kept per brand and topic, offered on the reply box.

A model of its own module so contact/models.py stays small; models.py imports it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brands.models import Brand


def topic_choices() -> list[tuple[str, str]]:
    from .models import ContactMessage  # models.py imports this module

    return ContactMessage.Topic.choices


class SavedReplyQuerySet(models.QuerySet):
    def for_message(self, message) -> SavedReplyQuerySet:
        """Replies offered on `message`: its brand's or every brand's, its topic's or every topic's."""
        return self.filter(
            Q(brand=message.brand_id) | Q(brand__isnull=True),
            Q(topic=message.topic) | Q(topic=""),
            is_active=True,
        ).order_by("title", "pk")


class SavedReply(models.Model):
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_replies",
        help_text=_("Empty: offered for every brand."),
    )
    topic = models.CharField(
        _("topic"),
        max_length=40,
        blank=True,
        choices=topic_choices,
        help_text=_("Empty: offered for every topic."),
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=5000)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SavedReplyQuerySet.as_manager()

    class Meta:
        app_label = "contact"
        ordering = ["title", "pk"]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")

    def __str__(self) -> str:
        return self.title
