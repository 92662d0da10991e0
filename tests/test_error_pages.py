"""Every error from the JSON API is JSON; the CSRF-failure and 400 pages are the site's own, in the visitor's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tests.factories import BrandFactory
from tests.trust.test_outage import database_outage

pytestmark = pytest.mark.django_db


def _json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] and body["message"]
    return body


def test_a_database_outage_answers_json_from_the_api(client):
    """The attack as reported: the API answered the HTML 503 page."""
    with database_outage():
        verify = client.get("/api/v1/verify", {"value": "400 000 0101"})
        search = client.get("/api/v1/search", {"q": "退款"})
        article = client.get("/api/v1/articles/some-article")
    for response in (verify, search, article):
        assert _json_error(response, 503)["error"] == "unavailable"
        assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("method", "path", "status", "error"),
    [
        ("get", "/api/v1/nothing-here", 404, "not_found"),
        ("get", "/api/v1/articles/no-such-article", 404, "not_found"),
        ("post", "/api/v1/verify", 405, "method_not_allowed"),
        ("post", "/api/v1/search", 405, "method_not_allowed"),
        ("delete", "/api/v1/articles/x", 405, "method_not_allowed"),
    ],
)
def test_api_errors_are_json(client, method, path, status, error):
    body = _json_error(getattr(client, method)(path), status)
    assert body["error"] == error


def test_an_unexpected_api_failure_is_a_json_500():
    def bug(execute, sql, params, many, context):
        raise RuntimeError("a bug")

    with connection.execute_wrapper(bug):
        response = Client(raise_request_exception=False).get("/api/v1/verify", {"value": "400 000 0101"})
    assert _json_error(response, 500)["error"] == "server_error"
    assert "a bug" not in response.content.decode()


def test_api_error_messages_follow_the_lang_parameter(client):
    assert "没有" in client.get("/api/v1/nothing", {"lang": "zh-hans"}).json()["message"]
    assert "nothing" in client.get("/api/v1/nothing", {"lang": "en"}).json()["message"].lower()


def test_a_disallowed_host_is_json_on_the_api(client):
    _json_error(client.get("/api/v1/verify", {"value": "x"}, headers={"host": "evil.example"}), 400)


@pytest.mark.parametrize(("path", "words"), [("/", "请求无效"), ("/en/", "Bad request")])
def test_the_400_page_is_the_sites_own_in_the_visitors_language(client, path, words):
    response = client.get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="site-header"' in html and "site.css" in html
    assert words in html


@pytest.mark.parametrize(
    ("path", "words"), [("/contact/message/", "安全校验"), ("/en/contact/message/", "security check")]
)
def test_the_csrf_failure_page_is_the_sites_own_in_the_visitors_language(path, words):
    BrandFactory(slug="kdpay")
    response = Client(enforce_csrf_checks=True).post(path, {"name": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html and "site.css" in html
    assert words in html
    assert "CSRF verification failed" not in html
