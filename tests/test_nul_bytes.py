"""NUL bytes and lone surrogates in query parameters and path arguments are a 4xx, never a 500.

PostgreSQL refuses NUL in text ("A string literal cannot contain NUL (0x00) characters"), so
each of these was a 500 there while SQLite answered normally.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import BrandFactory, CategoryFactory

pytestmark = pytest.mark.django_db

REPORTED = [
    "/contact/message/?brand=%00",
    "/c/refunds/?brand=%00",
    "/verify/report/?brand=%00",
    "/contact/status/%00/",
    "/contact/status/KD%00/x/",
]


@pytest.fixture
def site():
    BrandFactory(slug="kdpay", name="KDPAY")
    CategoryFactory(slug="refunds")
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", REPORTED)
def test_the_reported_urls_are_not_server_errors(site, url):
    """The attack as reported."""
    assert site.get(url).status_code < 500


@pytest.mark.parametrize("url", REPORTED)
@pytest.mark.parametrize("bad", ["%00", "%ED%A0%80", "x%00y", "%C0%80"])
def test_control_characters_and_broken_utf8_anywhere_are_not_server_errors(site, url, bad):
    assert site.get(url.replace("%00", bad)).status_code < 500
    assert site.get("/en" + url.replace("%00", bad)).status_code < 500
