from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
django_application = get_wsgi_application()

# Cached pages are answered in front of Django's handler (pagecache/wsgi.py), everything else by it.
from pagecache.wsgi import PageCacheApplication  # noqa: E402 - needs Django set up

application = PageCacheApplication(django_application)


def _load_search_segmenter() -> None:
    """Load jieba's dictionary (about 0.6 s) now, so no visitor's search waits for it.

    Runs in each worker, or once in the master with `gunicorn --preload`.
    """
    from faq.search import warm_up

    warm_up()


_load_search_segmenter()
