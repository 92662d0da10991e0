from __future__ import annotations

from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    """The project package as an app: its system checks and the staff preferences' model."""

    name = "helpcenter"
    verbose_name = "Help Center"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the checks)
        from .staff_preferences import load_at_login

        user_logged_in.connect(load_at_login, dispatch_uid="helpcenter.staff_preferences")
