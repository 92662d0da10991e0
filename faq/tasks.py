"""Emails to staff about articles, sent by the database task worker (`manage.py db_worker`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from contact.tasks import RETRY_DELAYS

from .models import Article
from .workflow import publisher_emails


@task()
def notify_publishers(article_id: int, base_url: str, attempt: int = 1) -> int:
    """Tell each publisher that `article_id` waits for review; how many emails were sent.

    Nothing is sent when the article no longer waits (published or sent back meanwhile). A
    failed send is tried again later (contact.tasks.RETRY_DELAYS), as customers' emails are.
    """
    article = Article.objects.filter(pk=article_id, status=Article.Status.IN_REVIEW).first()
    recipients = publisher_emails()
    if article is None or not recipients:
        return 0
    context = {
        "article": article,
        "review_url": base_url.rstrip("/") + reverse("admin:faq_article_change", args=[article.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("faq/email/review_subject.txt", context).split())
        body = render_to_string("faq/email/review.txt", context)
    # One email per publisher, so no one's address is shown to the others.
    emails = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    try:
        return get_connection().send_messages(emails) or 0
    except Exception:
        backend = notify_publishers.get_backend()
        if attempt <= len(RETRY_DELAYS) and backend.supports_defer:
            run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
            notify_publishers.using(run_after=run_after).enqueue(article_id, base_url, attempt + 1)
        raise
