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
        # Each worker's copies carry the headers the whole stack answered with (pagecache/wsgi.py):
        # a test that changes a setting must not get answers recorded under the old one.
        from django.core.signals import setting_changed

        from .local import local_pages
        from .wsgi import forget_settings

        setting_changed.connect(
            lambda **kwargs: local_pages.clear(), weak=False, dispatch_uid="pagecache.local"
        )
        setting_changed.connect(forget_settings, dispatch_uid="pagecache.wsgi")
        # The next scheduled instant of the new version, read by the writer rather than a visitor.
        content_committed.connect(
            lambda sender, version, **kwargs: next_scheduled_change(version),
            weak=False,
            dispatch_uid="pagecache.next_scheduled_change",
        )
        # What nearly every page reads (brands, categories, channels, alerts), for the new version.
        from .derived import warm

        content_committed.connect(warm, dispatch_uid="pagecache.derived")
