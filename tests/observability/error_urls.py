"""The site's URLs plus one view that fails, to see the 500 page as visitors get it."""

from __future__ import annotations

from django.urls import path

from helpcenter.urls import handler400, handler404, handler500
from helpcenter.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
