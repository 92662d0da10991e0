"""Review before publishing: Editors write and submit ("in review"); only Publishers (the
group from migration faq/0009) and superusers publish, unpublish or change a published
article; Publishers are emailed when an article starts waiting for them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Article

PUBLISHERS_GROUP = "Publishers"
PUBLISH_PERMISSION = "faq.publish_article"

Status = Article.Status


def can_publish(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def statuses_for(user: AbstractBaseUser | AnonymousUser) -> list[tuple[str, str]]:
    """The statuses `user` may give an article: all of them for publishers, else draft and review."""
    if can_publish(user):
        return list(Status.choices)
    return [(value, label) for value, label in Status.choices if value != Status.PUBLISHED]


def may_change(user: AbstractBaseUser | AnonymousUser, article: Article | None) -> bool:
    """Whether `user` may save `article`: a published article is live, so changing it is publishing."""
    return article is None or article.status != Status.PUBLISHED or can_publish(user)


def publisher_emails() -> list[str]:
    """Who is told that an article waits: the Publishers, or the superusers while that group is empty."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails = list(users.filter(groups__name=PUBLISHERS_GROUP).values_list("email", flat=True).distinct())
    return emails or list(users.filter(is_superuser=True).values_list("email", flat=True))


def article_submitted(*, article: Article, previous_status: str | None, base_url: str) -> bool:
    """After a save: when `article` has just entered review, email the publishers once the
    transaction commits (the task worker sends it). True when an email was scheduled."""
    if article.status != Status.IN_REVIEW or previous_status == Status.IN_REVIEW:
        return False
    from .tasks import notify_publishers

    transaction.on_commit(lambda: notify_publishers.enqueue(article.pk, base_url))
    return True


#: For each target status of the list's bulk actions, the statuses an article may come from.
MOVES_FROM = {
    Status.IN_REVIEW: [Status.DRAFT],
    Status.PUBLISHED: [Status.DRAFT, Status.IN_REVIEW],
    Status.DRAFT: [Status.PUBLISHED],
}


def articles_move(articles: QuerySet[Article], *, to: str, base_url: str) -> int:
    """Move the articles that may go to status `to` (publishing means now); how many moved.

    One save per article rather than an update(), so each is kept in the revision history;
    articles entering review email the publishers (article_submitted)."""
    moved = list(articles.filter(status__in=MOVES_FROM[to]))
    for article in moved:
        previous, article.status = article.status, to
        fields = ["status", "updated_at"]
        if to == Status.PUBLISHED:
            article.published_at = timezone.now()
            fields.append("published_at")
        article.save(update_fields=fields)
        article_submitted(article=article, previous_status=previous, base_url=base_url)
    return len(moved)
