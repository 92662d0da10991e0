"""WSGI entry point for benchmark servers: `gunicorn bench.wsgi:application`.

The production application from helpcenter/wsgi.py (with whatever it does at start, such as
loading the search segmenter), started through bench/django_env.py first so that it serves
the static files a benchmark collected into BENCH_STATIC_ROOT.
"""

from __future__ import annotations

from bench import django_env

django_env.setup()

from helpcenter.wsgi import application  # noqa: E402

__all__ = ["application"]
