"""Translation status of Chinese articles: no English yet, English older than the Chinese
(the Chinese text changed after the English was last written), or up to date. Dates are the
content dates (faq/content_dates.py), so publishing or re-tagging makes nothing "older"."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from helpcenter.localized import Language

from .models import Article


class TranslationStatus(models.TextChoices):
    MISSING = "missing", _("No English")
    OUTDATED = "outdated", _("English older than Chinese")
    CURRENT = "current", _("Up to date")


def with_translation_status(articles: models.QuerySet[Article]) -> models.QuerySet[Article]:
    """Annotate `translation_status` (a TranslationStatus value; empty for English articles),
    in the same query: the newest English translation's content date against the Chinese one's."""
    english = Article.objects.filter(original=OuterRef("pk"), language=Language.EN)
    newest = english.order_by("-content_updated_at").values("content_updated_at")[:1]
    return articles.annotate(english_updated_at=Subquery(newest)).annotate(
        translation_status=Case(
            When(language=Language.EN, then=Value("")),
            When(english_updated_at__isnull=True, then=Value(TranslationStatus.MISSING)),
            When(english_updated_at__lt=F("content_updated_at"), then=Value(TranslationStatus.OUTDATED)),
            default=Value(TranslationStatus.CURRENT),
            output_field=models.CharField(),
        )
    )
