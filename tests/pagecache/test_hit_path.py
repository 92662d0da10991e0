"""The hit path in front of Django (pagecache/wsgi.py): what it answers, and what it leaves to Django.

These call the site's WSGI application (helpcenter/wsgi.py) as gunicorn does; Django's
`request_started` signal tells whether an answer went through Django or not.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import sys
from io import StringIO

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from prometheus_client import REGISTRY

from helpcenter.request_log import JsonFormatter, request_line
from helpcenter.wsgi import application

pytestmark = pytest.mark.django_db

# Parts made per answer; everything else must be what the whole stack sent.
PER_ANSWER = {"x-request-id", "cache-control", "expires", "set-cookie", "content-length"}


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, through_django: bool):
        self.status = int(status.split()[0])
        self.header_list = headers
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body
        self.through_django = through_django

    def replayed(self) -> dict:
        return {name: value for name, value in self.headers.items() if name not in PER_ANSWER}


def fresh_site():
    """The site's application built now: Django's middleware reads some settings when built."""
    from django.core.handlers.wsgi import WSGIHandler

    from pagecache.wsgi import PageCacheApplication

    return PageCacheApplication(WSGIHandler())


def wsgi(path: str, method: str = "GET", query: str = "", app=application, **meta) -> Answer:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.57",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        **meta,
    }
    started = []
    receiver = lambda **kwargs: started.append(1)  # noqa: E731
    request_started.connect(receiver)
    # As Django's test client does: the test's own connection (its transaction) stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got = {}
    try:
        body = app(environ, lambda status, headers: got.update(status=status, headers=headers))
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
    finally:
        request_started.disconnect(receiver)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(got["status"], got["headers"], content, bool(started))


def warm(path: str, app=application, **meta) -> Answer:
    """Until the hit path answers it: stored, then recorded from a hit through Django."""
    for _ in range(3):
        answer = wsgi(path, app=app, **meta)
        if not answer.through_django:
            return answer
    raise AssertionError(f"{path} never answered by the hit path")


def test_a_hit_carries_every_header_the_whole_stack_sent(client):
    first = wsgi("/robots.txt")
    assert first.through_django
    hit = warm("/robots.txt")
    assert hit.body == first.body and hit.status == 200
    assert hit.replayed() == first.replayed()
    for header in ("content-security-policy", "x-frame-options", "permissions-policy", "referrer-policy"):
        assert header in hit.headers
    assert hit.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    assert hit.headers["x-request-id"] != first.headers["x-request-id"]
    assert hit.headers["content-length"] == str(len(hit.body))


def test_the_scheme_from_the_proxy_header_is_part_of_the_key(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = {"HTTP_X_FORWARDED_PROTO": "https"}
    first = wsgi("/robots.txt", **secure)
    hit = warm("/robots.txt", **secure)
    assert hit.replayed() == first.replayed()
    assert wsgi("/robots.txt").through_django  # plain HTTP: another page, not stored yet


def test_hsts_is_sent_on_hits_as_django_sends_it(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    site = fresh_site()  # SecurityMiddleware reads its settings when built
    secure = {"wsgi.url_scheme": "https"}
    first = wsgi("/robots.txt", app=site, **secure)
    hit = warm("/robots.txt", app=site, **secure)
    assert (
        hit.headers["strict-transport-security"]
        == first.headers["strict-transport-security"]
        == "max-age=3600"
    )
    assert "strict-transport-security" not in warm("/robots.txt", app=site).headers  # plain HTTP: none


def test_plain_http_is_redirected_not_served_when_https_is_required(settings):
    settings.SECURE_SSL_REDIRECT = True
    site = fresh_site()
    warm("/robots.txt", app=site, **{"wsgi.url_scheme": "https"})
    answer = wsgi("/robots.txt", app=site)
    assert answer.through_django and answer.status == 301


def test_plain_http_is_left_to_djangos_redirect_when_https_is_required(settings):
    from pagecache.wsgi import _current_settings, cache_key

    environ = {
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "testserver",
        "PATH_INFO": "/",
        "wsgi.url_scheme": "http",
    }
    assert cache_key(environ, _current_settings()) is not None
    settings.SECURE_SSL_REDIRECT = True
    assert cache_key(environ, _current_settings()) is None
    assert cache_key({**environ, "wsgi.url_scheme": "https"}, _current_settings()) is not None


@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", ""])
def test_a_host_not_allowed_never_gets_a_cached_page(host):
    warm("/robots.txt")
    answer = wsgi("/robots.txt", HTTP_HOST=host)
    assert answer.through_django and answer.status == 400
    forwarded = wsgi(
        "/robots.txt", HTTP_X_FORWARDED_HOST="evil.example"
    )  # ignored without USE_X_FORWARDED_HOST
    assert forwarded.status == 200


@pytest.mark.parametrize(
    "meta",
    [
        {"HTTP_COOKIE": "sessionid=anything"},
        {"HTTP_COOKIE": "other=1; messages=anything"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
    ],
)
def test_a_request_with_a_session_a_message_or_credentials_goes_to_django(meta):
    warm("/robots.txt")
    answer = wsgi("/robots.txt", **meta)
    assert answer.through_django
    assert "public" not in answer.headers["cache-control"]


def test_head_is_answered_like_get_without_a_body():
    hit = warm("/robots.txt")
    head = wsgi("/robots.txt", method="HEAD")
    assert not head.through_django and head.status == 200 and head.body == b""
    assert head.replayed() == hit.replayed() and head.headers["content-length"] == str(len(hit.body))


def test_a_conditional_request_gets_its_304_from_django():
    hit = warm("/robots.txt")
    answer = wsgi("/robots.txt", HTTP_IF_NONE_MATCH=hit.headers["etag"])
    assert answer.status == 304 and answer.body == b""


def test_the_query_string_and_compression_are_separate_pages():
    warm("/robots.txt")
    assert wsgi("/robots.txt", HTTP_ACCEPT_ENCODING="gzip").through_django
    assert wsgi("/robots.txt", query="x=1").through_django


def test_a_content_change_is_seen_on_the_next_request():
    from pagecache.versions import content_changed

    warm("/robots.txt")
    content_changed()
    assert wsgi("/robots.txt").through_django


# --- The contact form: a fresh token and cookie per visitor ------------------------------


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _cookie(answer: Answer) -> str:
    return re.match(r"\s*csrftoken=([^;]+)", answer.headers["set-cookie"]).group(1)


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_the_cached_contact_form_gives_each_visitor_a_token_that_posts(valid_data, encoding):
    meta = {"HTTP_ACCEPT_ENCODING": encoding}
    first = warm("/contact/message/", **meta)
    second = wsgi("/contact/message/", **meta)
    assert not second.through_django
    bodies = [gzip.decompress(a.body) if encoding else a.body for a in (first, second)]
    assert "csrf-token-placeholder" not in bodies[1].decode()
    assert _token(bodies[0].decode()) != _token(bodies[1].decode())
    assert _cookie(first) != _cookie(second)  # never one visitor's secret for another
    assert "no-store" in second.headers["cache-control"] and "Cookie" in second.headers["vary"]
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = _cookie(second)
    data = {**valid_data, "csrfmiddlewaretoken": _token(bodies[1].decode())}
    response = client.post("/contact/message/", data)
    assert response.status_code == 302 and response["Location"] == "/contact/message/sent/"


def test_a_returning_visitor_keeps_their_csrf_secret():
    warm("/contact/message/")
    visitor = wsgi("/contact/message/")
    secret = _cookie(visitor)
    again = wsgi("/contact/message/", HTTP_COOKIE=f"csrftoken={secret}")
    assert not again.through_django and _cookie(again) == secret
    assert _token(again.body.decode()) != _token(visitor.body.decode())
    malformed = wsgi("/contact/message/", HTTP_COOKIE="csrftoken=not-a-secret")
    assert _cookie(malformed) not in {secret, "not-a-secret"}


def test_the_contact_form_hit_has_the_headers_of_a_hit_through_django():
    first = wsgi("/contact/message/")
    through_django = wsgi("/contact/message/")
    hit = wsgi("/contact/message/")
    assert through_django.through_django and not hit.through_django
    assert hit.replayed() == through_django.replayed()
    assert hit.headers["cache-control"] == through_django.headers["cache-control"]

    def shape(cookie: str) -> str:  # the secret and the expiry differ; everything else is Django's
        return re.sub(r"csrftoken=\w+|expires=[^;]+", "", cookie)

    assert shape(hit.headers["set-cookie"]) == shape(through_django.headers["set-cookie"])
    assert first.status == hit.status == 200


# --- The request log line and the metrics ------------------------------------------------


@pytest.fixture
def json_log():
    """The root logger with only a JSON handler, as in production (pytest's own handlers removed)."""
    root = logging.getLogger()
    formatter = next(h.formatter for h in root.handlers if isinstance(h.formatter, JsonFormatter))
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    saved = root.handlers[:]
    root.handlers = [handler]
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.handlers = saved


def test_the_request_line_of_a_hit_has_every_field(json_log):
    warm("/robots.txt")
    hit = wsgi("/robots.txt", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    line = [entry for entry in json_log() if entry["logger"] == "helpcenter.request"][-1]
    assert line["request_id"] == hit.headers["x-request-id"]
    assert (line["method"], line["view"], line["route"], line["status"]) == (
        "GET",
        "robots_txt",
        "robots.txt",
        200,
    )
    assert line["client"] == "2001:db8:1:2::" and line["duration_ms"] >= 0
    assert line["message"] == "GET robots_txt 200" and line["level"] == "INFO"


def test_the_direct_line_is_what_the_formatter_writes():
    record = logging.LogRecord(
        "helpcenter.request", logging.INFO, "", 0, "%s %s %s", ("GET", 'v"x', 200), None
    )
    fields = {"method": "GET", "view": 'v"x', "route": "a/<slug:slug>/", "status": 200}
    record.fields = {**fields, "duration_ms": 1.25, "client": "me@mail.example"}
    from helpcenter.request_log import _request_id

    _request_id.set("abc123")
    formatted = JsonFormatter().format(record)
    direct = request_line("abc123", "GET", 'v"x', "a/<slug:slug>/", 200, 1.25, "me@mail.example")
    assert direct.split(", ", 1)[1] == formatted.split(", ", 1)[1]  # all but the time, byte for byte
    assert "[email]" in direct


def _count(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0


def test_hits_are_counted_once_each():
    warm("/robots.txt")
    labels = {"view": "robots_txt", "method": "GET", "status": "200"}
    before = (
        _count("helpcenter_requests_total", **labels),
        _count("helpcenter_page_cache_lookups_total", result="hit"),
    )
    for _ in range(3):
        assert not wsgi("/robots.txt").through_django
    after = (
        _count("helpcenter_requests_total", **labels),
        _count("helpcenter_page_cache_lookups_total", result="hit"),
    )
    assert (after[0] - before[0], after[1] - before[1]) == (3, 3)
