from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Brands")

    def ready(self) -> None:
        from . import selectors  # noqa: F401  (registers what the writer computes after a change: pagecache/derived.py)
