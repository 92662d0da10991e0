"""Language links are built from the resolved page only: no request path can make them point off-site."""

from __future__ import annotations

import re

import pytest
from ada_url import URL
from django.test import Client

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]*)"')
OFF_SITE_PATHS = [
    "//evil.example/",  # the attack as reported
    "/\\evil.example/",  # what /%5Cevil.example/ decodes to
    "//evil.example/en/",
    "///evil.example/",
    "/\\\\evil.example/",
    "/\\/evil.example/",
    "/\t/evil.example/",
    "/en//evil.example/",
    "/en/\\evil.example/",
    "//evil.example/a/sms-code/",
    "//evil.example/contact/",
]


def _get(path: str, query: str = ""):
    # The test client would read "//evil.example/" as a host; send the path exactly as a server sees it.
    return Client().request(PATH_INFO=path, REQUEST_METHOD="GET", QUERY_STRING=query)


def _hosts(html: str) -> set[str]:
    return {URL(href.replace("&amp;", "&"), base="http://testserver/").host for href in HREF.findall(html)}


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_no_link_on_any_page_leaves_the_site(path):
    response = _get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="language-switch"' in html
    assert _hosts(html) == {"testserver"}


def test_percent_encoded_backslash_as_sent_on_the_wire(client):
    response = client.get("/%5Cevil.example/")
    assert response.status_code == 404
    assert _hosts(response.content.decode()) == {"testserver"}


def test_an_unknown_page_offers_the_home_page_in_each_language():
    html = _get("//evil.example/").content.decode()
    assert 'href="/" hreflang="zh-hans"' in html
    assert 'href="/en/" hreflang="en"' in html


def test_a_real_page_still_links_to_its_translation(client):
    html = client.get("/contact/", {"x": "1"}).content.decode()
    assert 'href="/en/contact/?x=1" hreflang="en"' in html
