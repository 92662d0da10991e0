from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust and safety")

    def ready(self) -> None:
        from . import selectors  # noqa: F401  (registers what the writer computes after a change: pagecache/derived.py)
