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


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/verify/?value=400%00", "请求无效"),
        ("/en/c/refunds/?brand=%00", "Bad request"),
        ("/search/?q=%00", "请求无效"),
    ],
)
def test_a_nul_byte_in_the_url_is_the_sites_400_page_in_the_visitors_language(site, url, words):
    response = site.get(url)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_a_nul_byte_in_an_api_query_is_a_json_400(site):
    response = site.get("/api/v1/verify?value=%00")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_admin_list_filters_with_a_nul_byte_are_a_400_not_a_500(site):
    """The admin's own list filters pass ?status__exact= to the database unvalidated."""
    from django.contrib import admin
    from django.contrib.auth.models import User

    site.force_login(User.objects.create_superuser("root", "root@mail.example", "pw-root-123"))
    for model in admin.site._registry:
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for query in ("?status__exact=%00", "?q=%00", "?o=%00"):
            assert site.get(changelist + query).status_code == 400, changelist + query
