"""Request helpers every app shares: who the client is, the site's absolute links, htmx typing.

`client_address` is the one client-address rule behind every rate limit on the site
(helpcenter/ratelimits.py) and behind django-axes' admin lockouts (AXES_CLIENT_IP_CALLABLE).
`absolute_url` builds every absolute link (pages, API, sitemap, emails) on DJANGO_SITE_URL.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of views that read `request.htmx` (set by django-htmx's middleware)."""

    htmx: HtmxDetails


# An IPv6 client usually holds a whole /64 (one home or phone network), so counting single
# IPv6 addresses would give it 2**64 fresh identities; it is counted as its /64 instead.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's IPv4 address, or the network address of its IPv6 /64 ("2001:db8:1:2::").

    Behind our one reverse proxy (DJANGO_BEHIND_PROXY=1) the client is the last
    X-Forwarded-For entry: the proxy appends the address it saw, so that entry is the only
    one a client cannot forge; earlier entries are whatever the client sent. Without a
    proxy, X-Forwarded-For is ignored. The answer is always a valid IP address (what axes
    stores), or "" when there is none (a Unix socket without a proxy).
    """
    return client_address_from_meta(request.META)


def client_address_from_meta(meta: dict) -> str:
    """client_address for a WSGI environ (the page cache answers hits without a request)."""
    forwarded = (
        meta.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip() if settings.BEHIND_PROXY else None
    )
    return _client_address(meta.get("REMOTE_ADDR", ""), forwarded)


@lru_cache(maxsize=4096)
def _client_address(remote: str, forwarded: str | None) -> str:
    # Cached: ipaddress costs ~20 us a request, and the same clients come back.
    candidates = [remote] if forwarded is None else [forwarded, remote]
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if address.version == 6 and address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        if address.version == 6:
            network = ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
            return str(network.network_address)
        return str(address)
    return ""


def site_origin(request: HttpRequest | None = None) -> str:
    """The site's public origin ("https://help.example.com"): DJANGO_SITE_URL.

    Without DJANGO_SITE_URL (development) a request supplies its own scheme and host; without
    either there is no honest answer, so it is an error rather than a link to localhost.
    """
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    raise ImproperlyConfigured(
        "Set DJANGO_SITE_URL (e.g. https://help.example.com) to build links outside a request."
    )


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` (as reverse() gives it, starting with /) on the site's public origin."""
    return site_origin(request) + path
