from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo brands, knowledge base and contact channels. Safe to run again: unchanged rows stay as they are."

    def handle(self, *args, **options) -> None:
        # Each app that has demo data keeps it in <app>/demo.py with a load_demo()
        # function; they run in INSTALLED_APPS order, brands first.
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            changed = import_module(module_name).load_demo()
            self.stdout.write(f"{app_config.label}: {changed} demo rows created or updated")
