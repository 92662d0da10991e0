from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from pagecache.versions import content_committed


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)
        content_committed.connect(_count_articles, dispatch_uid="faq.count_articles")
        # Register what the writer computes after a change (pagecache/derived.py): the categories
        # and the home and brand pages' lists, even in a process that has served no page yet.
        from . import counts, selectors  # noqa: F401


def _count_articles(sender, version: str, **kwargs) -> None:
    """After a content change, count the articles per category for the new version now, so the
    writer pays for the scan and the next visitor's page (home, brand, category) does not."""
    from helpcenter.localized import Language

    from .counts import published_counts

    for language in Language.values:
        published_counts(language)


def _ensure_search_index(sender, using: str, **kwargs) -> None:
    """Re-create the full-text index if a migration lost it.

    SQLite drops a table's triggers when Django rebuilds the table for a schema
    change, and `migrate --run-syncdb` (tests without migrations) never runs
    faq's index migration.
    """
    from django.db import connections

    from .search import install_index

    install_index(connections[using])
