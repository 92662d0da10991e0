"""Start Django inside a benchmark: the project's own settings, plus the few things a benchmark chooses.

Benchmarks run the real settings module (whitenoise, CompressedManifestStaticFilesStorage,
the database from DATABASE_URL, Redis from REDIS_URL) so the figures are the production
code path. The one override is STATIC_ROOT (from BENCH_STATIC_ROOT): `collectstatic` for a
benchmark goes into a temporary folder instead of the project's `staticfiles/`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_ROOT_VARIABLE = "BENCH_STATIC_ROOT"


def setup() -> None:
    """Configure and start Django for this process (idempotent)."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
    import django
    from django.conf import settings

    static_root = os.environ.get(STATIC_ROOT_VARIABLE)
    if static_root:
        # Set before django.setup() so whitenoise and the storage see it from the start.
        settings.STATIC_ROOT = Path(static_root)
    django.setup()
