"""WSGI entry point for benchmark servers: `gunicorn bench.wsgi:application`.

The same application as helpcenter/wsgi.py, started through bench/django_env.py so
that it serves the static files a benchmark collected into BENCH_STATIC_ROOT.
"""

from __future__ import annotations

from django.core.wsgi import get_wsgi_application

from bench import django_env

django_env.setup()
application = get_wsgi_application()
