from __future__ import annotations

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from .invalidation import connect_signals
        from .schedule import next_scheduled_change
        from .versions import content_committed

        connect_signals()
        # The next scheduled instant of the new version, read by the writer rather than a visitor.
        content_committed.connect(
            lambda sender, version, **kwargs: next_scheduled_change(version),
            weak=False,
            dispatch_uid="pagecache.next_scheduled_change",
        )
