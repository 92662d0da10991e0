"""Views that break one rule each, to prove the page cache refuses them (test_page_cache.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers

from pagecache.middleware import public_page

CALLS = {"count": 0}


def _counted(body: str) -> HttpResponse:
    CALLS["count"] += 1
    return HttpResponse(f"{body} {CALLS['count']}")


@public_page
def plain(request):
    return _counted("plain")


@public_page
def sets_cookie(request):
    response = _counted("cookie")
    response.set_cookie("hc_visitor", "someone")
    return response


@public_page
def csrf_token(request):
    return _counted(f"token {get_token(request)}")


@public_page
def reads_session(request):
    return _counted(f"session {request.session.get('contact_messages')}")


@public_page
def varies_on_cookie(request):
    response = _counted("vary")
    patch_vary_headers(response, ["Cookie"])
    return response


@public_page
def private(request):
    response = _counted("private")
    patch_cache_control(response, private=True)
    return response


@public_page
def not_found(request):
    CALLS["count"] += 1
    return HttpResponse("missing", status=404)


@public_page
def csp_nonce(request):
    return _counted(f"nonce {request.csp_nonce}")


@public_page
def short_lived(request):
    response = _counted("short")
    patch_cache_control(response, max_age=30)
    return response


urlpatterns = [
    path("t/plain/", plain),
    path("t/cookie/", sets_cookie),
    path("t/csrf/", csrf_token),
    path("t/session/", reads_session),
    path("t/vary/", varies_on_cookie),
    path("t/private/", private),
    path("t/404/", not_found),
    path("t/nonce/", csp_nonce),
    path("t/short/", short_lived),
]


from helpcenter.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns += site_urlpatterns
