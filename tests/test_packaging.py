"""`pip install .` ships every app: package discovery in pyproject.toml names each one."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_package_discovery_includes_every_app_and_its_subpackages():
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    base = Path(settings.BASE_DIR)
    ours = [app for app in apps.get_app_configs() if Path(app.path).parent == base]
    assert {app.name for app in ours} >= {"helpcenter", "brands", "faq", "contact", "trust"}
    packages = [
        ".".join(init.parent.relative_to(base).parts)
        for app in ours
        for init in Path(app.path).rglob("__init__.py")
    ]
    missed = [name for name in packages if not any(fnmatchcase(name, pattern) for pattern in include)]
    assert missed == []
