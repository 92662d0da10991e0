"""A database outage answers a clean 503 page, and the site recovers when the database is back."""

from __future__ import annotations

import contextlib
import socket
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
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


def served(path: str) -> tuple[str, str]:
    """One GET through Django's WSGI handler, as gunicorn calls it: unlike the test client, it
    runs the connection housekeeping (health check, closing broken connections) around requests."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    statuses: list[str] = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response).decode()
    finally:
        response.close()  # request_finished, as a WSGI server sends it
    return statuses[0], body


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_by_itself_when_the_database_drops_its_connection():
    """PostgreSQL restarted (or an admin killed the session): the persistent connection a worker
    keeps is dead. The next request must get a fresh connection, not a 503 (health checks)."""
    article = ArticleFactory(title="退款多久到账")
    assert served(article.get_absolute_url())[0] == "200 OK"
    dropped = backend_pid()  # the persistent connection the first request left open
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])
    finally:
        killer.close()
    status, body = served(article.get_absolute_url())
    assert status == "200 OK" and "退款多久到账" in body
    assert backend_pid() != dropped


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


@contextlib.contextmanager
def unreachable_database():
    """Swap in a connection to a database that cannot be reached: the driver's own error, no mock.

    PostgreSQL: a port on 127.0.0.1 nothing listens on (connection refused). SQLite: a file in a
    directory that does not exist (unable to open database file).
    """
    real = connections["default"]
    settings_dict = {**real.settings_dict}
    if real.vendor == "postgresql":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        settings_dict.update(HOST="127.0.0.1", PORT=closed_port)
    else:
        settings_dict["NAME"] = "/nonexistent-directory/helpcenter.sqlite3"
    broken = real.__class__(settings_dict, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = real


def test_an_unreachable_database_gets_the_503_page(client):
    article = ArticleFactory(title="冻结账户")
    with unreachable_database():
        down = client.get(article.get_absolute_url())
        verify = client.get("/verify/", {"value": "400 000 0101"})
    assert down.status_code == verify.status_code == 503
    assert "帮助中心暂时无法访问" in down.content.decode()
