"""The reference for bench/page_cache.py: a Django view returning a constant response.

Served by gunicorn with the same worker settings as the site (`gunicorn bench.constant`),
with the project's settings but no middleware and a URLconf of its own, so it measures
what Django itself costs per request on this machine. It lives here, in the benchmark,
never in the site's URLs.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from bench import django_env

BODY = b"<!doctype html><title>constant</title><p>The same bytes every time.</p>\n"


def constant(request):
    return HttpResponse(BODY)


urlpatterns = [path("", constant), path("<path:anything>", constant)]

django_env.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = __name__
settings.MIDDLEWARE = []

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
