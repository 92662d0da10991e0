"""The public "updated on" date: it moves when what a reader reads changes (title, summary,
body), not on every save. Publishing, re-ordering, tagging, a view counter or a save with
nothing changed leave it alone; `updated_at` still moves on every save, because it drives
the page's ETag and Last-Modified, which must change whenever the page does."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentDatedModel(models.Model):
    #: The fields whose change is a change of content.
    CONTENT_FIELDS = ("title", "summary", "body")

    content_updated_at = models.DateTimeField(
        _("content updated"),
        default=timezone.now,
        editable=False,
        help_text=_("Shown to readers as “updated”: moves only when the title, summary or body changes."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        touches_content = update_fields is None or bool(set(self.CONTENT_FIELDS) & set(update_fields))
        if touches_content and self.content_changed():
            if not self._state.adding or self.content_updated_at is None:
                self.content_updated_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "content_updated_at"}
        super().save(*args, **kwargs)
        self._loaded_content = {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # As loaded, to tell a real change from a save of the same text (deferred fields are skipped).
        instance._loaded_content = {
            name: instance.__dict__[name] for name in cls.CONTENT_FIELDS if name in instance.__dict__
        }
        return instance

    def content_changed(self) -> bool:
        """True for a new row or when a content field differs from what was loaded."""
        if self._state.adding:
            return True
        loaded = getattr(self, "_loaded_content", {})
        return any(getattr(self, name) != value for name, value in loaded.items())
