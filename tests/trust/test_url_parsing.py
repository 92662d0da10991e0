"""Links are judged by the host a browser would open (WHATWG URL parsing), never by a naive split.

Each row is a link as a scammer might write it and the host Chrome, Firefox and Safari open for
it (None: the browser refuses the URL). The verdict must be about that host: official only when
it is on an official domain, a known scam when it is on a confirmed scam's domain.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.utils import timezone

from contact.models import Channel
from contact.normalize import browser_url, normalize_url
from tests.factories import BrandFactory, ChannelFactory
from trust.models import ConfirmedScam
from trust.verify import verify_value

pytestmark = pytest.mark.django_db

OFFICIAL_DOMAIN, SCAM_DOMAIN = "kdpay.example", "evil.example"

# (what the visitor pastes, the host a browser opens)
BROWSER_HOSTS = [
    # Backslashes are slashes in http(s) URLs: the host ends at the first one.
    ("https://evil.example\\.kdpay.example/login", "evil.example"),
    ("https://evil.example\\\\kdpay.example/", "evil.example"),
    ("evil.example\\.kdpay.example", "evil.example"),
    ("https:\\\\evil.example\\kdpay.example", "evil.example"),
    # Tabs and newlines anywhere are removed before parsing.
    ("https://evil.example\t\\.kdpay.example", "evil.example"),
    ("https://evil.example\n\\kdpay.example", "evil.example"),
    ("https://kd\tpay.exa\nmple/", "kdpay.example"),
    ("https://evil.example\r\n.kdpay.example/", "evil.example.kdpay.example"),
    # Userinfo: everything before the last @ of the authority is not the host.
    ("https://kdpay.example@evil.example/", "evil.example"),
    ("https://kdpay.example:443@evil.example/", "evil.example"),
    ("https://evil.example:443@kdpay.example/", "kdpay.example"),
    # '#', '?' or '/' before an @ end the authority: the @ is in the fragment/query/path.
    ("https://evil.example#@kdpay.example/", "evil.example"),
    ("https://evil.example?@kdpay.example/", "evil.example"),
    ("https://evil.example/@kdpay.example/", "evil.example"),
    # Ideographic full stops are dots in a host name.
    ("kdpay。example", "kdpay.example"),
    ("https://evil。example/kdpay.example", "evil.example"),
    ("https://evil．example\\.kdpay.example", "evil.example"),
    ("evil｡example", "evil.example"),
    # Percent-encoded hosts are decoded; a decoded forbidden character makes the URL invalid.
    ("https://%65vil.example/", "evil.example"),
    ("https://evil%2Eexample/", "evil.example"),
    ("https://kdpay%2eexample/", "kdpay.example"),
    ("https://evil.example%5C.kdpay.example/", None),
    ("https://kdpay.example%40evil.example/", None),
    # Upper case and full-width letters.
    ("HTTPS://EVIL.EXAMPLE/", "evil.example"),
    ("HTTPS://KDPAY.EXAMPLE/LOGIN", "kdpay.example"),
    ("https://ＥＶＩＬ.example/", "evil.example"),
    # IDN hosts are compared in punycode.
    ("https://bücher.example/", "xn--bcher-kva.example"),
    ("https://xn--bcher-kva.example/", "xn--bcher-kva.example"),
    # No scheme, scheme-relative, scheme without slashes.
    ("//evil.example/kdpay.example", "evil.example"),
    ("https:evil.example/", "evil.example"),
    ("help.kdpay.example/chat", "help.kdpay.example"),
    ("kdpay.example.evil.example", "kdpay.example.evil.example"),
    # Ports, trailing dots, surrounding space.
    ("https://kdpay.example:443/", "kdpay.example"),
    ("  https://evil.example\\.kdpay.example  ", "evil.example"),
    ("https://kdpay.example./", "kdpay.example."),
    # A full-width slash is not a slash: browsers refuse the host.
    ("https://kdpay.example／.evil.example", None),
    # Not web addresses at all.
    ("javascript:alert('kdpay.example')", None),
]


def _expected_verdict(host: str | None) -> str:
    domain = normalize_url(host) if host else None
    if domain == OFFICIAL_DOMAIN:
        return "official"
    if domain == SCAM_DOMAIN:
        return "reported_scam"
    return "not_official"


@pytest.fixture
def official_and_scam():
    kdpay = BrandFactory(slug="kdpay", name="KDPAY")
    ChannelFactory(brand=kdpay, kind=Channel.Kind.WEBSITE, label="KDPAY", value="https://kdpay.example/")
    ConfirmedScam.objects.create(
        kind="url", normalized_value=SCAM_DOMAIN, value="evil.example", first_reported_at=timezone.now()
    )


def test_the_table_is_long_enough():
    assert len(BROWSER_HOSTS) >= 30


@pytest.mark.parametrize(("pasted", "host"), BROWSER_HOSTS)
def test_the_parser_finds_the_host_a_browser_opens(pasted, host):
    parsed = browser_url(pasted)
    assert (parsed.host if parsed else None) == host


@pytest.mark.parametrize(("pasted", "host"), BROWSER_HOSTS)
def test_the_verdict_is_about_the_host_a_browser_opens(official_and_scam, pasted, host):
    assert verify_value(pasted).verdict == _expected_verdict(host)


@pytest.mark.parametrize(("pasted", "host"), BROWSER_HOSTS)
def test_the_api_and_the_page_agree(client, official_and_scam, pasted, host):
    expected = _expected_verdict(host)
    api = client.get("/api/v1/verify", {"value": pasted})
    assert api.json()["verdict"] == expected
    page = client.get("/verify/", {"value": pasted}).content.decode()
    css = {
        "official": "verdict--official",
        "reported_scam": "verdict--scam",
        "not_official": "verdict--unknown",
    }
    assert [marker for marker in css.values() if marker in page] == [css[expected]]


def test_the_reported_backslash_link_is_a_known_scam_not_official(client, official_and_scam):
    """The attack as reported: %5C in the query string is a backslash in the value."""
    response = client.get("/api/v1/verify?value=https://evil.example%5C.kdpay.example/login")
    assert response.json()["verdict"] == "reported_scam"
    assert response.json()["normalized"] == SCAM_DOMAIN
    page = client.get("/verify/?value=https://evil.example%5C.kdpay.example/login")
    assert b"verdict--scam" in page.content
    assert b"verdict--official" not in page.content


def test_a_percent_encoded_backslash_pasted_as_text_is_never_official(client, official_and_scam):
    value = quote("https://evil.example%5C.kdpay.example/login", safe="")
    assert client.get(f"/api/v1/verify?value={value}").json()["verdict"] == "not_official"
