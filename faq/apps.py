from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using: str, **kwargs) -> None:
    """Re-create the full-text index if a migration lost it.

    SQLite drops a table's triggers when Django rebuilds the table for a schema
    change, and `migrate --run-syncdb` (tests without migrations) never runs
    faq's index migration.
    """
    from django.db import connections

    from .search import install_index

    install_index(connections[using])
