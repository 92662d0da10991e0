"""One JSON log line per request, a request id everywhere, and no personal data in any log line."""

from __future__ import annotations

import json
import logging
import socketserver
import threading
from io import StringIO

import pytest
from django.test import Client

from helpcenter.request_log import JsonFormatter
from tests.helpers import IMMEDIATE_TASKS, en_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Every log line any logger writes during the test, formatted as the site's console handler does."""
    configured = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert configured, "settings.LOGGING gives the root logger a JSON handler"
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured[0].formatter)
    logging.getLogger().addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    logging.getLogger().removeHandler(handler)


def request_lines(lines: list[str]) -> list[dict]:
    return [entry for entry in map(json.loads, lines) if entry["logger"] == "helpcenter.request"]


def test_each_request_writes_one_json_line(client, log_lines):
    response = client.get("/robots.txt", REMOTE_ADDR="203.0.113.57")
    (line,) = request_lines(log_lines())
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert (line["method"], line["view"], line["status"]) == ("GET", "robots_txt", 200)
    assert line["duration_ms"] > 0
    assert line["client"] == "203.0.113.0"


def test_an_ipv6_client_is_logged_as_its_network(client, log_lines):
    client.get("/robots.txt", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    (line,) = request_lines(log_lines())
    assert line["client"] == "2001:db8:1:2::"


def test_a_page_from_the_page_cache_gets_its_own_request_id(client, log_lines):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    lines = request_lines(log_lines())
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    # The second was answered from the page cache, before URL resolution: still named.
    assert [line["view"] for line in lines] == ["robots_txt", "robots_txt"]


def test_the_route_is_logged_not_the_path_with_its_token(client, log_lines):
    client.get(en_url("faq:article_detail", slug="no-such-article"))
    (line,) = request_lines(log_lines())
    assert (line["view"], line["route"], line["status"]) == ("faq:article_detail", "en/a/<slug:slug>/", 404)
    assert "no-such-article" not in line["message"]


def test_requests_for_static_files_are_logged_as_static(client, log_lines):
    """One label for every file under STATIC_URL, not one "<unresolved>" shared with the 404s."""
    client.get("/static/css/no-such-file.css")
    (line,) = request_lines(log_lines())
    assert line["view"] == "static"


def test_the_proxys_request_id_is_kept_only_behind_our_proxy(client, settings):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] != "abcdef0123456789"
    settings.BEHIND_PROXY = True
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == "abcdef0123456789"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_the_traceback_of_a_server_error_carries_the_request_id(settings, log_lines):
    settings.ROOT_URLCONF = "tests.observability.error_urls"
    response = Client(raise_request_exception=False).get("/broken/")
    (error,) = [json.loads(line) for line in log_lines() if "Internal Server Error" in line]
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: a bug in a view" in error["exception"]


def test_client_errors_are_logged_once(client, log_lines):
    client.get("/no-such-page/")
    assert len(log_lines()) == 1


def assert_request_id_shown(response, status: int) -> None:
    assert response.status_code == status
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_the_404_page_shows_the_request_id(client):
    assert_request_id_shown(client.get("/en/no-such-page/"), 404)


def test_the_400_page_shows_the_request_id(client):
    assert_request_id_shown(client.get("/", HTTP_HOST="attacker.example"), 400)


def test_the_500_page_shows_the_request_id(settings):
    settings.ROOT_URLCONF = "tests.observability.error_urls"
    response = Client(raise_request_exception=False).get("/broken/")
    assert_request_id_shown(response, 500)


def test_the_429_page_shows_the_request_id(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "scam-report": "1/h"}
    client.post(en_url("trust:report_create"), {})
    assert_request_id_shown(client.post(en_url("trust:report_create"), {}), 429)


class RefusingSMTPHandler(socketserver.StreamRequestHandler):
    """A mail server that refuses every recipient, naming the address as real servers do."""

    def handle(self) -> None:
        self.wfile.write(b"220 refusing-smtp ready\r\n")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "RCPT":
                address = line.decode().split(":", 1)[1].strip()
                self.wfile.write(f"550 5.1.1 {address}: Recipient address rejected\r\n".encode())
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def refusing_smtp(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTPHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        server.server_address[1],
        5,
    )
    yield
    server.shutdown()
    server.server_close()


def test_no_email_address_or_message_text_in_any_log_line(
    client, valid_data, settings, refusing_smtp, log_lines, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en_url("contact:message_create"), valid_data)
    assert response.status_code == 302
    client.get(response["Location"])
    lines = log_lines()
    # The confirmation email really failed, and the failure was logged, address and all...
    assert any("SMTPRecipientsRefused" in line for line in lines)
    # ... masked: the refusal names the recipient, and the log line does not.
    assert any("[email]" in line for line in lines)
    for line in lines:
        json.loads(line)
        for personal in (
            "zhang+refund@mail.example",
            "zhang+refund",
            valid_data["message"],
            valid_data["subject"],
        ):
            assert personal not in line
        assert valid_data["name"] not in line
