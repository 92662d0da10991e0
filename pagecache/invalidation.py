"""What makes the content version move: every write to a model that visitors see on a cached page.

Two paths cover every write:

- `post_save`, `post_delete` and `m2m_changed` signals for the models in CONTENT_MODELS
  (admin forms, `save()`, `delete()`, `loaddata`, related managers' `add()`/`remove()`);
- `ContentQuerySet`, the base of those models' querysets, for the writes that send no
  signal: `queryset.update()` (the admin's publish/unpublish actions), `bulk_create()` and
  `bulk_update()`. `queryset.delete()` sends `post_delete` per row already.

A model added later that visitors see on a cached page joins CONTENT_MODELS and gets a
ContentQuerySet; code that writes with raw SQL calls `content_changed()` itself.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from .versions import content_changed

CONTENT_MODELS = [
    "brands.Brand",
    "faq.Article",
    "faq.Category",
    "faq.Tag",
    "faq.Synonym",
    "contact.Channel",
    "contact.OpeningHours",
    "contact.ChannelException",
    "trust.ScamAlert",
    "trust.ConfirmedScam",
]


class ContentQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes move the content version (see the module docstring)."""

    #: Fields no cached page has to show at once (view and vote counters): writing only
    #: these leaves the cache alone, or every view-count flush would empty it.
    counter_fields: frozenset[str] = frozenset()

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows and not set(kwargs) <= self.counter_fields:
            content_changed(self.db)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed(self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows and not set(fields) <= self.counter_fields:
            content_changed(self.db)
        return rows


def _saved(sender, instance, update_fields=None, using="default", **kwargs) -> None:
    counters = getattr(sender._default_manager._queryset_class, "counter_fields", frozenset())
    if update_fields is not None and set(update_fields) <= counters:
        return
    content_changed(using)


def _deleted(sender, using="default", **kwargs) -> None:
    content_changed(using)


def _links_changed(sender, action, using="default", **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed(using)


def connect_signals() -> None:
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        uid = f"pagecache:{label}"
        post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _links_changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )
