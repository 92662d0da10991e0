from __future__ import annotations

from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    """The project package as an app only to register its system checks."""

    name = "helpcenter"
    verbose_name = "Help Center"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
