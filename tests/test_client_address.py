"""The one client-address rule (helpcenter.request.client_address) behind every limit and axes."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from helpcenter.request import client_address


@pytest.mark.parametrize(
    ("behind_proxy", "remote_addr", "forwarded_for", "client"),
    [
        (False, "198.51.100.7", "", "198.51.100.7"),
        # Without our proxy in front, X-Forwarded-For is whatever the client made up.
        (False, "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        # Behind it, the last entry is the one our proxy appended; earlier ones are forgeable.
        (True, "127.0.0.1", "198.51.100.7", "198.51.100.7"),
        (True, "127.0.0.1", "10.0.0.1, 203.0.113.5, 198.51.100.7", "198.51.100.7"),
        (True, "127.0.0.1", "", "127.0.0.1"),
        (True, "127.0.0.1", "not-an-address", "127.0.0.1"),
        # IPv6 clients are counted per /64: every address of the network is one client.
        (False, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "", "2001:db8:1:2::"),
        (False, "2001:db8:1:2::1", "", "2001:db8:1:2::"),
        (False, "2001:db8:1:3::1", "", "2001:db8:1:3::"),
        (True, "::1", "2001:DB8:1:2:ffff::9", "2001:db8:1:2::"),
        # IPv4 reached over IPv6 is the IPv4 address.
        (False, "::ffff:198.51.100.7", "", "198.51.100.7"),
        (False, "", "", ""),
    ],
)
def test_client_address(settings, behind_proxy, remote_addr, forwarded_for, client):
    settings.BEHIND_PROXY = behind_proxy
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(RequestFactory().get("/", **meta)) == client
