"""Recording, when a message is sent, which articles the contact form's suggestions showed for
it (the same search: faq/suggestions.py), so the deflection dashboard can count messages sent
although an article matched. Best effort: a failing search never fails or loses the message."""

from __future__ import annotations

import logging

from django.db import transaction

from faq.forms import SuggestionForm
from faq.suggestions import suggested_articles

from .deflection_models import SuggestedArticle, SuggestionCheck
from .models import ContactMessage

logger = logging.getLogger(__name__)


def message_suggestions_record(message: ContactMessage, *, subject: str, body: str) -> None:
    """Run the form's suggestion search on what the visitor typed (before masking, as the form
    did) and keep the articles it found with the message. Any error is logged and swallowed:
    the search runs in a savepoint, so on PostgreSQL a failed statement does not poison the
    transaction that stores the message, and the message is saved whatever happens here."""
    form = SuggestionForm(
        {"brand": message.brand.slug, "topic": message.topic, "subject": subject, "message": body}
    )
    try:
        with transaction.atomic():
            articles = suggested_articles(form, message.language) if form.is_valid() else []
            check = SuggestionCheck.objects.create(contact_message=message, article_count=len(articles))
            SuggestedArticle.objects.bulk_create(
                SuggestedArticle(suggestion_check=check, article=article, position=position)
                for position, article in enumerate(articles, start=1)
            )
    # Deliberately broad: whatever the search raises (database, index, a bug in a new analyser),
    # the customer's message matters more than this statistic.
    except Exception:
        logger.exception("Could not record the article suggestions for message %s", message.pk)
