"""A database outage answers a clean 503 page, and the site recovers when the database is back."""

from __future__ import annotations

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from helpcenter.views import server_error
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _database_down(execute, sql, params, many, context):
    # What psycopg and sqlite3 raise when the server is gone; Django wraps both as OperationalError.
    raise OperationalError("server closed the connection unexpectedly")


@contextlib.contextmanager
def database_outage():
    with connection.execute_wrapper(_database_down):
        yield


@pytest.mark.parametrize("path", ["/", "/en/", "/contact/"])
def test_pages_answer_a_clean_503_while_the_database_is_down(client, path):
    with database_outage():
        response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert 'class="site-header"' in body and "site.css" in body
    assert "OperationalError" not in body and "Traceback" not in body
    assert "Content-Security-Policy" in response and "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_the_503_page_is_in_the_visitors_language(client):
    with database_outage():
        chinese = client.get("/").content.decode()
        english = client.get("/en/").content.decode()
    assert "帮助中心暂时无法访问" in chinese
    assert "The Help Center is briefly unavailable" in english


def test_the_site_recovers_by_itself_when_the_database_is_back(client):
    article = ArticleFactory(title="退款多久到账")
    with database_outage():
        assert client.get(article.get_absolute_url()).status_code == 503
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "退款多久到账" in response.content.decode()


def test_an_outage_outside_a_view_also_gets_the_503_page():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_other_errors_still_get_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
